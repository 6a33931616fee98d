"""The report as one self-contained HTML file: inline CSS, charts as ``data:`` PNG URIs, nothing fetched —
it can be mailed, published on a website (向社会公布进展) or opened on an offline machine."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from healthplan.reports.model import Figure, Heading, Paragraph, Report, Table

CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: "FangSong_GB2312", "FangSong", "仿宋", "STFangsong", "Noto Serif CJK SC", serif;
       font-size: 16pt; line-height: 1.8; max-width: 156mm; margin: 2em auto; color: #000; padding: 0 1em; }
h1 { font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "SimHei", "黑体", "Noto Sans CJK SC", sans-serif;
     font-size: 22pt; font-weight: normal; text-align: center; line-height: 1.5; margin: 0.5em 0 0.2em; }
.subtitle { font-family: "KaiTi", "楷体", "Noto Serif CJK SC", serif; text-align: center; margin-bottom: 1.5em; }
h2, h3, h4 { font-size: 16pt; margin: 0.6em 0 0.2em; text-indent: 2em; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-weight: normal; }
h3 { font-family: "KaiTi", "楷体", "Noto Serif CJK SC", serif; font-weight: normal; }
h4 { font-weight: bold; }
p { text-indent: 2em; margin: 0; text-align: justify; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; line-height: 1.4; margin: 0.3em 0; }
caption { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 12pt; padding: 0.4em; }
th, td { border: 1px solid #000; padding: 2px 4px; text-align: center; vertical-align: middle; }
th { font-weight: bold; background: #f2f2f2; }
td.text { text-align: left; }
td.met, td.done, td.likely { background: #e2f0d9; }
td.on_track { background: #ddebf7; }
td.behind { background: #fff2cc; }
td.regressing, td.unlikely, td.not_done { background: #fbe2e2; }
.note { font-size: 10.5pt; text-indent: 0; margin-bottom: 0.8em; }
figure { margin: 0.8em 0; text-align: center; }
figure img { max-width: 100%; }
figcaption { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 12pt; }
.colophon { font-size: 10.5pt; text-indent: 0; margin-top: 2em; color: #444; }
"""


def _table(table: Table) -> str:
    text_column = table.widths.index(max(table.widths))
    total = sum(table.widths)
    parts = [f"<table><caption>{escape(table.title)}</caption><colgroup>"]
    parts += [f'<col style="width:{100 * w / total:.1f}%">' for w in table.widths]
    parts.append("</colgroup><thead><tr>")
    parts += [f"<th>{escape(h).replace(chr(10), '<br>')}</th>" for h in table.header]
    parts.append("</tr></thead><tbody>")
    starts = {c: {first: last - first + 1 for first, last in table.spans(c)} for c in range(len(table.header))}
    for r, row in enumerate(table.rows):
        parts.append("<tr>")
        for c, cell in enumerate(row):
            if r not in starts[c]:
                continue  # covered by a merged cell above
            classes = " ".join(x for x in ("text" if c == text_column else "", cell.status or "") if x)
            span = f' rowspan="{starts[c][r]}"' if starts[c][r] > 1 else ""
            attribute = f' class="{classes}"' if classes else ""
            parts.append(f"<td{span}{attribute}>{escape(cell.text)}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    if table.note:
        parts.append(f'<p class="note">{escape(table.note)}</p>')
    return "".join(parts)


def _figure(figure: Figure) -> str:
    data = base64.b64encode(figure.png).decode("ascii")
    return (f'<figure><img alt="{escape(figure.title)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{escape(figure.title)}</figcaption></figure>")


def render_html(report: Report) -> str:
    body = [f"<h1>{'<br>'.join(escape(line) for line in report.title.split(chr(10)))}</h1>", f'<p class="subtitle">{escape(report.subtitle)}</p>']
    for block in report.layout():
        if isinstance(block, Heading):
            level = min(block.level, 3) + 1
            body.append(f"<h{level}>{escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            lead = f"<strong>{escape(block.lead)}</strong>" if block.lead else ""
            body.append(f"<p>{lead}{escape(block.text)}</p>")
        elif isinstance(block, Table):
            body.append(_table(block))
        else:
            body.append(_figure(block))
    if report.footer_note:
        body.append(f'<p class="colophon">{escape(report.footer_note)}</p>')
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(report.title.replace(chr(10), ''))}</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def write_html(report: Report, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
