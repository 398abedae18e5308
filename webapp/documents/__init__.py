"""Word documents (文书) filled from the records, downloaded by users who may see them."""
