"""Every threshold of the PDF reader, one dataclass per step, gathered in `PdfSettings`.

Distances are in points or in multiples of the font size, as each field says. Each class
rejects bad values by name when built.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.bounds import non_negative, positive, shares


@dataclass(frozen=True)
class LayerSettings:
    """When a text layer counts as garbled, and a page as a scan."""

    # A text layer with at least this share of unreadable glyphs is garbled ...
    garbled_share: float = 0.3
    # ... measured over at least this many glyphs.
    garbled_min_glyphs: int = 40
    # A share of unreadable glyphs worth a note on a document that is still read.
    note_share: float = 0.02
    # A page with at most this many glyphs and an image covering `scan_area` of it is a scan.
    scan_max_glyphs: int = 10
    scan_area: float = 0.3
    # An image smaller than this share of the page (a logo, a seal) is not counted.
    image_min_area: float = 0.02

    def __post_init__(self) -> None:
        shares(self, "garbled_share", "note_share", "scan_area", "image_min_area")
        if self.garbled_min_glyphs < 1 or self.scan_max_glyphs < 0:
            raise ValueError("LayerSettings glyph counts must be positive")


@dataclass(frozen=True)
class TextSettings:
    """Thresholds of line and paragraph building, in points or in multiples of the font size."""

    # Glyphs with the same text, font and size this close (points) are one fake-bold glyph.
    dedupe_tolerance: float = 1.0
    # A glyph joins a line when its vertical centre lies in the line's band.
    # A horizontal gap wider than this share of the font size is a space.
    space_gap: float = 0.25
    # Top and bottom bands of the page (share of its height) where headers and footers live.
    margin_band: float = 0.1
    # A band line printed on at least this share of pages (and two) is a running header/footer.
    repeat_share: float = 0.5
    # How many lines at the top and at the bottom of a page may be furniture.
    edge_lines: int = 2
    # Paragraphs: a line continues the one above when the gap between them is at most this
    # many font sizes, the line above reaches the right margin (within `full_line` sizes) and
    # the line below starts at the left margin (within `indent` sizes).
    paragraph_gap: float = 1.2
    full_line: float = 1.5
    indent: float = 0.6
    size_change: float = 0.15

    def __post_init__(self) -> None:
        non_negative(
            self,
            "edge_lines",
            "dedupe_tolerance",
            "space_gap",
            "paragraph_gap",
            "full_line",
            "indent",
        )
        shares(self, "margin_band", "repeat_share", "size_change")


@dataclass(frozen=True)
class GridSettings:
    """Thresholds of rule and grid finding, in points unless named otherwise."""

    # A colour whose components are all at least this light (0..1) is white: not a rule.
    white_level: float = 0.95
    # A filled, unstroked rectangle at most this thick is a rule drawn as a rectangle.
    rule_max_thickness: float = 2.0
    snap_tolerance: float = 3.0
    join_tolerance: float = 3.0
    intersection_tolerance: float = 3.0
    edge_min_length: float = 3.0
    # Cell edges closer than this are one grid line.
    boundary_tolerance: float = 2.0
    # A grid narrower than this many columns is a frame around text, not a table.
    min_cols: int = 2
    # Space between a cell's rules and its text, on each side (points).
    cell_padding: float = 1.5
    # Vertical rules ending this far (or more) below the last horizontal rule, with none
    # closing them, end a table left open at a page break (points).
    open_end_min_row: float = 8.0

    def __post_init__(self) -> None:
        if not 0 < self.white_level <= 1:
            raise ValueError("GridSettings.white_level must be in (0, 1]")
        non_negative(
            self,
            "rule_max_thickness",
            "snap_tolerance",
            "join_tolerance",
            "intersection_tolerance",
            "edge_min_length",
            "boundary_tolerance",
            "cell_padding",
            "open_end_min_row",
        )
        if self.min_cols < 1:
            raise ValueError("GridSettings.min_cols must be at least 1")


@dataclass(frozen=True)
class LayoutSettings:
    """When a full-width row of a ruled grid is prose rather than a banner or caption."""

    # A cell of at least this many characters, or with a sentence end, is prose.
    prose_chars: int = 40
    sentence_ends: str = "。；;"

    def __post_init__(self) -> None:
        if self.prose_chars < 1:
            raise ValueError("LayoutSettings.prose_chars must be at least 1")


@dataclass(frozen=True)
class TextGridSettings:
    """Thresholds of unruled table finding, in multiples of the font size unless named."""

    # A gap at least this wide separates two cells: between CJK glyphs, between a CJK glyph
    # and another, and between other glyphs. (LibreOffice puts 0.2 em between CJK and Latin
    # text of one word; cells are at least 0.3 em apart.)
    cjk_gap: float = 0.3
    mixed_gap: float = 0.3
    column_gap: float = 0.5
    # Digits of one number touch; any gap this wide between two digits separates two values.
    digit_gap: float = 0.1
    # A gap this wide where other rows start a column is a cell boundary even when narrow
    # (between a CJK glyph and another, wider than the space LibreOffice puts there).
    split_gap: float = 0.1
    split_mixed_gap: float = 0.25
    # A column start is a left edge shared by at least this many words, within `start_tolerance`.
    start_votes: int = 3
    start_tolerance: float = 0.15
    # ... and whose right edges spread this far: text set flush left, not centred figures.
    start_spread: float = 0.25
    # Lines of one cell are at most this far apart; lines of one table at most `row_gap`.
    cell_line_gap: float = 0.6
    # Gaps between lines within this of each other are one kind of gap (line or row); the
    # two kinds are told apart only when at least `gap_contrast` apart.
    gap_tolerance: float = 0.06
    gap_contrast: float = 0.15
    # The gap between lines of one cell is the font's leading, never more than this: a
    # narrowest gap wider than that is a gap between rows.
    max_line_gap: float = 0.5
    row_gap: float = 3.5
    # Font sizes differing by at most this share are one size; lines read by OCR (their
    # size told from the height of the box detection drew) going on a table down the page
    # or over a page break, by `ocr_size_tolerance`.
    size_tolerance: float = 0.15
    ocr_size_tolerance: float = 0.3
    # A table has at least this many lines of two or more words.
    min_tabular_lines: int = 3
    # Label blocks whose left edges are this close start one column.
    column_tolerance: float = 1.0
    # A lone line centred within this share of the table's width, and indented at least
    # `banner_indent`, is a banner row (a caption over a part of the table).
    banner_center: float = 0.08
    banner_indent: float = 2.0
    # Value columns start this far left of their first value (a centred figure sits inside
    # its column), and a label's column is found this far inside its edges.
    column_inset: float = 0.5
    # Column lines of the table's parts closer than this are one line of the grid.
    line_tolerance: float = 0.5
    # A group label beside rows spans those it overlaps by at least this much.
    span_overlap: float = 0.3
    # Rows are at least this far apart, where too few rows show how far.
    min_row_pitch: float = 2.0
    # A line at least this share of the page's text width is prose, not a table row, when it
    # is one word or its words are never more than `prose_gap` apart ('…共收到申请 204件').
    prose_width: float = 0.8
    prose_gap: float = 1.0
    # ... and, read by OCR, holds fewer words of text than this: detection parts a line
    # of prose at its figures at most, and a header row of crowded cells into many words
    # (their size overstated by boxes two lines tall, they stand less than a size apart).
    prose_max_words: int = 8
    # A label line ending this close to its column's right edge may wrap into the next line.
    wrap_slack: float = 2.5
    # Values of one row have their middles within this of each other (one line).
    value_line_tolerance: float = 0.5
    # Values with no row label this close to a labelled row of values (a share of the
    # usual distance between rows) are that row's wrapped cells, split up.
    orphan_pitch: float = 0.75
    # A header over no printed row, with at least this much room below it before the next
    # line (in sizes of the header's last line), heads a row of empty cells (a paragraph
    # follows a table far closer).
    empty_row_gap: float = 2.0
    # The same read by OCR: detection grows each box around its text, so the paper between
    # two boxes is less, and a box taller, than between two lines of a text layer (on the
    # generated scans a heading follows a table at most 0.72 below, a row of empty cells
    # at least 1.63).
    ocr_empty_row_gap: float = 1.2
    # A lone word read by OCR with at most this many characters, drawn taller than the
    # table's lines, carries the table on below it: a wrapped label's last character or two.
    bridge_max_chars: int = 2
    # A line of figures with no label beside it joins the row whose label its box overlaps
    # by more than this ...
    figure_overlap: float = 0.1
    # ... or else the label the table's other such lines point to: at least `displaced_rows`
    # lines, each at most `displaced_reach` from its label's top and all at the same height
    # from it, within `displaced_tolerance` (figures set at the top of their cells, labels
    # a line or two lower).
    displaced_rows: int = 3
    displaced_reach: float = 3.5
    displaced_tolerance: float = 0.5
    # A group label is at the top of its rows, or centred on them, within this.
    group_align: float = 0.5

    def __post_init__(self) -> None:
        positive(
            self,
            "cjk_gap",
            "mixed_gap",
            "column_gap",
            "digit_gap",
            "split_gap",
            "split_mixed_gap",
            "gap_tolerance",
            "gap_contrast",
            "max_line_gap",
            "start_tolerance",
            "start_spread",
            "cell_line_gap",
            "row_gap",
            "column_tolerance",
            "wrap_slack",
            "empty_row_gap",
            "ocr_empty_row_gap",
            "value_line_tolerance",
            "orphan_pitch",
            "prose_gap",
            "banner_indent",
            "column_inset",
            "line_tolerance",
            "span_overlap",
            "min_row_pitch",
            "figure_overlap",
            "displaced_reach",
            "displaced_tolerance",
            "group_align",
        )
        shares(self, "size_tolerance", "ocr_size_tolerance", "banner_center", "prose_width")
        counts = (
            self.min_tabular_lines,
            self.start_votes,
            self.displaced_rows,
            self.prose_max_words,
            self.bridge_max_chars,
        )
        if min(counts) < 1:
            raise ValueError("TextGridSettings counts must be at least 1")


@dataclass(frozen=True)
class StitchSettings:
    """How closely the two parts of a continued table must line up (points)."""

    edge_tolerance: float = 4.0

    def __post_init__(self) -> None:
        non_negative(self, "edge_tolerance")


@dataclass(frozen=True)
class ImageSettings:
    """Thresholds of page-image clean-up, in pixels at the rendering resolution unless named."""

    # Red ink (a seal) is lifted where red exceeds green and blue by this much (0..255).
    red_margin: int = 60
    # Skew is searched within ± this many degrees, in steps of `skew_step`.
    max_skew: float = 3.0
    skew_step: float = 0.1
    # Skew below this is left alone (resampling costs sharpness).
    min_skew: float = 0.05
    # A ruling line is at least this share of the page width, whichever way it runs (30
    # points on A4: a vertical rule of a two-row table is longer; long strokes of characters
    # (一) joined to their neighbours are shorter).
    rule_min_share: float = 0.05
    # Thin rules come out of a blurred scan light grey: for finding rules, a pixel this much
    # darker (0..255) than the mean of the `rule_block` pixels around it is ink.
    rule_contrast: int = 12
    rule_block: int = 31
    # Pixels a rule is smoothed over along its direction before thresholding.
    rule_smooth: int = 1
    rule_depth: int = 40
    # A rule ending this share of the page width short of a rule across it reaches it (a
    # scan loses a rule's last pixels; 0.01 of an A4 page is 6 points).
    rule_reach: float = 0.01
    # A rule is carried on to the next rule across it where its ink covers this share of
    # the way (a pale rule broken across one narrow cell; text and speckle cover less).
    rule_carry: float = 0.9
    # ... with ink 5 to 7 pixels off it on both sides along at most this share of the way
    # (shading a black-and-white scan dithered into dots covers the way too, and both its
    # sides; a figure close to a rule stands on one).
    rule_carry_clear: float = 0.3
    # A round seal printed grey (a grey scan darkens its red) is a circle of this radius in
    # points (official seals are 38-45 mm across), found on the page reduced to `seal_dpi`,
    # at Hough roundness `seal_roundness` (0..1). Its ring, `seal_band` of the radius either
    # side, holds ink in at least `seal_ring` of the directions round it, and in
    # `seal_contrast` more than the same ring drawn a little wider (text and grids).
    seal_radius: tuple[float, float] = (30.0, 75.0)
    seal_dpi: float = 100.0
    seal_roundness: float = 0.7
    seal_band: float = 0.05
    seal_ring: float = 0.9
    seal_contrast: float = 0.3
    # A rule lying on a seal is the table's only where it runs from one rule off the seal to
    # another, within this share of the radius from its centre: farther out, a stretch of
    # its rings (the inner one lies at about 0.8 of the radius) can pass for a rule.
    seal_rule_offset: float = 0.7
    # ... and where ink runs beside it (3 to 6 pixels off) along less than this share of it:
    # the star's flat edges have its fill beside them.
    seal_rule_fill: float = 0.5
    # A mark in a cell is ink darker than this (0..255) in a patch of at least
    # `mark_min_area` pixels at 150 dpi: printed strokes, even a tiny dash, are dark patches;
    # scanner speckle is a few grey pixels.
    mark_level: int = 130
    mark_min_area: int = 4
    # A cell counts as empty only when it holds no ink darker than this in patches of
    # `faint_min_area` pixels (a faint dash makes the cell unread, never blank).
    faint_level: int = 160
    faint_min_area: int = 3

    def __post_init__(self) -> None:
        if not 0 < self.red_margin < 255 or self.skew_step <= 0 or self.max_skew < 0:
            raise ValueError("ImageSettings values out of range")
        shares(self, "rule_min_share", "rule_reach", "rule_carry", "rule_carry_clear")
        shares(
            self,
            "seal_roundness",
            "seal_band",
            "seal_ring",
            "seal_contrast",
            "seal_rule_offset",
            "seal_rule_fill",
        )
        if not 0 < self.seal_radius[0] < self.seal_radius[1] or self.seal_dpi <= 0:
            raise ValueError("ImageSettings seal size out of range")


@dataclass(frozen=True)
class EngineSettings:
    """How the models run."""

    # Crops recognised together; wide and narrow crops batch badly (padding), so small.
    rec_batch: int = 6
    # ONNX Runtime threads per session (1: one worker process per core does the rest).
    threads: int = 1
    # A runner-up character this probable is kept as a candidate.
    runner_up_min: float = 0.1

    def __post_init__(self) -> None:
        if self.rec_batch < 1 or self.threads < 1:
            raise ValueError("EngineSettings counts must be positive")


@dataclass(frozen=True)
class OcrSettings:
    """When and how scanned pages are read."""

    enabled: bool = True
    # Pages are rendered at their scan's own resolution, kept within these bounds (dpi).
    min_dpi: float = 150.0
    max_dpi: float = 300.0
    text_dpi: float = 200.0
    # Pixels of paper kept around a recognised line when it is cropped.
    pad: int = 3
    # The second reading: the crop read again at this scale (another resolution).
    second_scale: float = 2.0
    # A reading this short holding a digit is a figure: it gets a second reading.
    figure_max_chars: int = 16
    # Detection runs on the page scaled so that its longer side is at most this (pixels);
    # recognition reads the crops at full resolution.
    det_max_side: int = 1600
    # Text below this confidence is dropped as noise unless it holds a digit.
    min_confidence: float = 0.3
    # A mark at least this much wider than tall, and at most this share of a text line's
    # height, is a dash.
    dash_ratio: float = 1.4
    dash_height: float = 0.35
    # A dash detection missed, outside ruled cells, is at least this share of a detected
    # line's height wide (boxes stand well clear of the text: an en dash's ink is about a
    # quarter of the box; a point, far less).
    dash_min_width: float = 0.2
    # A flat mark too small to tell from speckle by size (a hyphen of a small face: about
    # 0.12 of a line's height), in a ruled cell or outside one, is a dash where it stands
    # alone among the figures read (`ocr.hyphens`): at least this share of a line's height
    # wide, its middle within `aligned_dash_tolerance` of a line's height of the middle of
    # a figure beside it on its line and of `aligned_dash_votes` figures in its column.
    aligned_dash_width: float = 0.1
    aligned_dash_tolerance: float = 0.15
    aligned_dash_votes: int = 2
    # A flat mark only the faint ink shows (a pale hyphen the threshold lost whole) is as
    # wide as a dash (`dash_min_width`) and at most this share of a line's height: wider,
    # it is a streak or a fold.
    pale_dash_max_width: float = 1.0
    # A mark whose pixels' columns and rows correlate this much is a slanted stroke: a slash
    # (an upright 1, even with its flag, correlates far less).
    slash_slant: float = 0.85
    # A slash read again as a digit of one stroke (1, 7) stays a slash only where all its
    # ink, faint included, correlates this much (measured: slashes 0.93-0.97, 7s at most 0.82).
    slash_alone: float = 0.9
    # A figure detection missed: marks this tall (shares of the median recognised line's
    # height), at most this wide, their digits joined across gaps this wide, and the pieces
    # of a stroke the scan's threshold broke (a 2's faint diagonal) across gaps this high.
    figure_height: tuple[float, float] = (0.35, 1.3)
    figure_break: float = 0.1
    # A reading with a digit whose tallest mark is under this share of the page's usual
    # digit height is stroke tails or speckle. (Measured: digits a coarse JPEG scan broke
    # keep 0.4 of it; a '6' read on stroke tails, none.)
    figure_speck: float = 0.35
    figure_width: float = 6.0
    figure_gap: float = 0.3
    # A figure's box that cuts every mark in it (detection drew it tight) is grown this
    # share of its height each way to count the figure's glyphs whole; there the digits'
    # ink may span at most this share of their height per character read (measured: lone
    # digits 0.35-0.7; '10' set tight, read as '0', 0.79 or more).
    tight_box_grow: float = 0.25
    # ... and at least this many times the join (the gap between a digit's strokes the
    # threshold broke: a pixel a 150 dpi), so a small figure's box grows past a stroke.
    tight_box_floor: int = 2
    # (`marks.DIGIT_WIDTH` is the same measure used the other way: the width one digit
    # takes, to count the digits in a mark the blur ran together; this is a ceiling.)
    digit_fit: float = 0.75
    # A minus recognition dropped stands left of a figure's digits within this many times
    # its box's height (a sign and the space before the digits).
    sign_room: float = 1.0
    # A vertical rule near a ruled cell's line is cut off where it lies within this share
    # of the box's width of its left or right edge (a rule is at a cell's side, never
    # among its text) ...
    rule_edge: float = 0.25
    # ... runs down the box and on, at least this many times the box's height (text never
    # runs so tall) ...
    rule_run: float = 1.25
    # ... and is the columns inked this share of its length (a character's are not) ...
    rule_cover: float = 0.9
    # ... at most this many pixels past where it was found (its blur; pixels, as measured
    # on the corpus's 150-300 dpi scans).
    rule_spread: int = 2
    # Words detection missed: at most this wide (in line heights), kept at this confidence.
    word_width: float = 12.0
    word_confidence: float = 0.9
    # A detected line is read in pieces where a column of paper this wide (in shares of its
    # text's size) parts its ink: cells crowded on one line of a table without rules.
    # (0.3 parted crowded header cells too, but also letter-spaced headers: measured worse.)
    line_gap: float = 0.7
    # ... and where paper this wide parts the figure (digits, points, commas) that ends a
    # detected line from the ideograph before it (a row label set close to its figure,
    # '禁止公开 0'; between an ideograph and a digit of one word there is at most the
    # typesetter's quarter space). At most `line_gap`.
    figure_line_gap: float = 0.33
    # Paper this wide (a share of the text's size) before a row label's number in a line
    # outside ruled cells stays a gap between its glyphs, for the table reader to part
    # cells at ('不予公' | '4.保护…'; the paper between the ideographs of one word, letter
    # spacing aside, is at most about 0.17 of it).
    glyph_gap: float = 0.25
    image: ImageSettings = field(default_factory=ImageSettings)
    engine: EngineSettings = field(default_factory=EngineSettings)
    grid: GridSettings = field(default_factory=GridSettings)

    def __post_init__(self) -> None:
        if not 0 < self.min_dpi <= self.max_dpi:
            raise ValueError("OcrSettings dpi bounds must be positive and ordered")
        shares(
            self,
            "figure_speck",
            "glyph_gap",
            "tight_box_grow",
            "digit_fit",
            "rule_edge",
            "rule_cover",
            "figure_break",
            "figure_line_gap",
            "aligned_dash_width",
            "aligned_dash_tolerance",
        )
        if self.figure_line_gap > self.line_gap:
            raise ValueError("OcrSettings.figure_line_gap must not exceed line_gap")
        if not self.dash_min_width <= self.pale_dash_max_width:
            raise ValueError("OcrSettings.pale_dash_max_width must not be under dash_min_width")
        if self.aligned_dash_width > self.dash_min_width:
            raise ValueError("OcrSettings.aligned_dash_width must not exceed dash_min_width")
        positive(self, "sign_room", "rule_run", "tight_box_floor")
        non_negative(self, "rule_spread")
        if self.aligned_dash_votes < 1:
            raise ValueError("OcrSettings.aligned_dash_votes must be at least 1")


@dataclass(frozen=True)
class PdfSettings:
    """Every threshold of the PDF reader, one settings object per stage."""

    layer: LayerSettings = field(default_factory=LayerSettings)
    text: TextSettings = field(default_factory=TextSettings)
    grid: GridSettings = field(default_factory=GridSettings)
    layout: LayoutSettings = field(default_factory=LayoutSettings)
    textgrid: TextGridSettings = field(default_factory=TextGridSettings)
    stitch: StitchSettings = field(default_factory=StitchSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
