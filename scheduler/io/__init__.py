"""Writing the outputs: one atomic writer for a week's set of files, CSV safe from spreadsheet
formulas, the workbook, and the printable duty table (值勤表) and PDF.
"""
