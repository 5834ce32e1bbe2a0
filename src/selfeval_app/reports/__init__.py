"""Reports: PDFs for governors, the SDP summary and peer review (reportlab). Never imports Qt."""
