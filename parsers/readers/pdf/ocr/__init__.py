"""OCR of scanned PDF pages (#13): page images cleaned up (`image`), read by PP-OCR offline
(`engine`), and turned into glyphs and ruling lines for the PDF reader (`scan`). `scan`
runs the steps: lines read again in other boxes (`recut`), ink no line covers read
(`unread`), what a figure's marks say of its reading (`marks`, `checks`), and each line's
glyphs placed (`glyphs`); `readings` holds what they share.

The PDF reader calls it through `layer.recognise_page` for pages without a usable text layer
only; its settings are `PdfSettings.ocr` (`readers.pdf.settings`).
"""
