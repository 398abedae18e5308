"""Excel import and export (导入/导出): templates, streamed reading, preview, confirmed writes."""
