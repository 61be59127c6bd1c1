"""The review site (`nianbao audit --html DIR`): each figure beside its source evidence.

An index of every report (sortable, filterable, paged) and one page per report: the three
tables as the national format prints them, each figure coloured by status, and beside it
the source — the PDF page with the cell's box drawn, or the source table as its reader
read it with the cell highlighted. Reviewers record decisions in the browser and download
them for `nianbao audit --import`. Static files only: they open from disk, offline.

Modules: `site` writes the site; `records` reads the warehouse; `evidence` and `source`
find the original document and read it again; `layout` lays the tables out as printed;
`page` puts one report's page together; `decisions` reads the reviewers' files.
"""

from pipeline.review.site import SiteSettings, SiteSummary, write_site

__all__ = ["SiteSettings", "SiteSummary", "write_site"]
