"""Writing returns: the Ofsted-format workbook, CSVs, and atomic publication."""
