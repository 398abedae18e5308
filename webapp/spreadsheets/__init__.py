"""Spreadsheet pieces any area uses: reading Excel cells (`cells`) and streamed exports (`export`)."""
