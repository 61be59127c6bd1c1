"""OCR of scanned PDF pages (#13): page images cleaned up (`image`), read by PP-OCR offline
(`engine`), and turned into glyphs and ruling lines for the PDF reader (`scan`).

The PDF reader calls it through `layer.recognise_page` for pages without a usable text layer
only; its settings are `PdfSettings.ocr` (`readers.pdf.settings`).
"""
