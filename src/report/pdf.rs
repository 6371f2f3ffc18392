//! PDF: the report's tables on A4 landscape pages, with the organisation and period in a running
//! header and "page n / N" in the footer, in IPAGothic, which krilla embeds as a subset (only the
//! glyphs used), so the file renders the same everywhere. IPAGothic's Latin letters are
//! half-width and fixed-pitch, so text is measured exactly by counting characters.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

use crate::i18n::t;

use super::model::AuditReport;
use super::tables::{Table, tables};

static FONT: &[u8] = include_bytes!("../../assets/fonts/ipag.ttf");

const PAGE_W: f32 = 841.89;
const PAGE_H: f32 = 595.28;
const LEFT: f32 = 28.0;
const RIGHT: f32 = PAGE_W - 28.0;
const TOP: f32 = 44.0;
const BOTTOM: f32 = PAGE_H - 30.0;
const CELL_SIZE: f32 = 7.0;
const LINE: f32 = 9.0;
const PAD: f32 = 2.5;
/// The sections that start on a new page.
const NEW_PAGE: [&str; 4] = ["controls", "records", "incidents", "gaps"];

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font cannot be read")]
    Font,
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

#[derive(Debug, Clone)]
enum Op {
    Text { x: f32, y: f32, size: f32, text: String, grey: bool },
    Band { x: f32, y: f32, w: f32, h: f32 },
    Rule { x1: f32, y1: f32, x2: f32, y2: f32 },
}

fn char_ems(c: char) -> f32 {
    if c.is_ascii() || ('\u{FF61}'..='\u{FF9F}').contains(&c) { 0.5 } else { 1.0 }
}

/// Width of `text` at `size`: half-width characters count half an em.
fn width(text: &str, size: f32) -> f32 {
    text.chars().map(char_ems).sum::<f32>() * size
}

/// Splits `text` into lines no wider than `max` (by character; line breaks kept).
fn wrap(text: &str, max: f32, size: f32) -> Vec<String> {
    let limit = max / size;
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let (mut line, mut ems) = (String::new(), 0.0);
        for c in paragraph.chars().filter(|c| !c.is_control()) {
            let w = char_ems(c);
            if ems + w > limit && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                ems = 0.0;
            }
            line.push(c);
            ems += w;
        }
        lines.push(line);
    }
    lines
}

struct Pages {
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Pages {
    fn new() -> Self {
        Self { pages: vec![Vec::new()], y: TOP }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` still fits.
    fn room_for(&mut self, height: f32) -> bool {
        if self.y + height > BOTTOM && self.y > TOP {
            self.new_page();
            return true;
        }
        false
    }

    fn line(&mut self, size: f32, text: &str) {
        self.room_for(size * 1.5);
        let y = self.y + size;
        for (n, part) in wrap(text, RIGHT - LEFT, size).into_iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let y = y + n as f32 * size * 1.4;
            self.ops().push(Op::Text { x: LEFT, y, size, text: part, grey: false });
            self.y = y + size * 0.5;
        }
        self.y += size * 0.4;
    }
}

fn column_widths(table: &Table) -> Vec<f32> {
    let available = RIGHT - LEFT;
    let desired: Vec<f32> = table
        .headers
        .iter()
        .enumerate()
        .map(|(i, header)| {
            let longest = table
                .rows
                .iter()
                .filter_map(|row| row.get(i))
                .map(|cell| width(&cell.text(), CELL_SIZE))
                .fold(0.0, f32::max);
            (longest.max(width(header, CELL_SIZE)) + 2.0 * PAD).clamp(36.0, 260.0)
        })
        .collect();
    let total: f32 = desired.iter().sum();
    desired.iter().map(|w| w * available / total.max(1.0)).collect()
}

fn wrap_cells(cells: &[String], widths: &[f32]) -> Vec<Vec<String>> {
    cells.iter().zip(widths).map(|(text, w)| wrap(text, w - 2.0 * PAD, CELL_SIZE)).collect()
}

fn row(pages: &mut Pages, widths: &[f32], wrapped: &[Vec<String>], header: bool) {
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
    #[allow(clippy::cast_precision_loss)]
    let height = lines as f32 * LINE + 2.0 * PAD;
    let y = pages.y;
    if header {
        pages.ops().push(Op::Band { x: LEFT, y, w: RIGHT - LEFT, h: height });
    }
    let mut x = LEFT;
    for (cell, w) in wrapped.iter().zip(widths) {
        for (n, text) in cell.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let baseline = y + PAD + CELL_SIZE + n as f32 * LINE;
            pages.ops().push(Op::Text { x: x + PAD, y: baseline, size: CELL_SIZE, text: text.clone(), grey: false });
        }
        x += w;
    }
    let bottom = y + height;
    pages.y = bottom;
    pages.ops().push(Op::Rule { x1: LEFT, y1: bottom, x2: RIGHT, y2: bottom });
}

fn table(pages: &mut Pages, table: &Table, number: usize) {
    if NEW_PAGE.contains(&table.key) && pages.y > TOP {
        pages.new_page();
    }
    pages.room_for(60.0);
    pages.line(11.0, &format!("{number}. {}", table.title));
    let widths = column_widths(table);
    let header = wrap_cells(&table.headers, &widths);
    row(pages, &widths, &header, true);
    #[allow(clippy::cast_precision_loss)]
    let header_height = header.iter().map(Vec::len).max().unwrap_or(1) as f32 * LINE + 2.0 * PAD;
    let lines_that_fit = |y: f32| {
        let room = ((BOTTOM - y - 2.0 * PAD) / LINE).floor();
        if room > 0.0 { room as usize } else { 0 }
    };
    let fresh_page = lines_that_fit(TOP + header_height);
    for cells in &table.rows {
        let texts: Vec<String> = cells.iter().map(super::tables::Cell::text).collect();
        let mut remaining = wrap_cells(&texts, &widths);
        loop {
            let lines = remaining.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let here = lines_that_fit(pages.y);
            if lines <= here {
                row(pages, &widths, &remaining, false);
                break;
            }
            if lines <= fresh_page || here == 0 {
                // The row fits a page of its own (or nothing fits here): move it on.
                pages.new_page();
                row(pages, &widths, &header, true);
                continue;
            }
            // Taller than a page: what fits here, the rest on the next page.
            let (head, tail): (Vec<Vec<String>>, Vec<Vec<String>>) = remaining
                .into_iter()
                .map(|mut cell| {
                    let rest = cell.split_off(here.min(cell.len()));
                    (cell, rest)
                })
                .unzip();
            row(pages, &widths, &head, false);
            pages.new_page();
            row(pages, &widths, &header, true);
            remaining = tail;
        }
    }
    pages.y += 12.0;
}

fn lay_out(report: &AuditReport) -> Vec<Vec<Op>> {
    let lang = report.lang;
    let mut pages = Pages::new();
    pages.line(15.0, &t(lang, "report-title"));
    pages.line(
        9.0,
        &format!(
            "{} · {} {} – {} · {} {}",
            report.organisation,
            t(lang, "report-period"),
            report.from,
            report.to,
            t(lang, "report-generated"),
            report.generated_on
        ),
    );
    pages.y += 8.0;
    for (n, section) in tables(report).iter().enumerate() {
        table(&mut pages, section, n + 1);
    }
    pages.pages
}

fn fill(grey: u8) -> Fill {
    Fill { paint: rgb::Color::new(grey, grey, grey).into(), ..Fill::default() }
}

/// The report as PDF bytes.
///
/// # Errors
/// When the font cannot be read or the PDF not written.
pub fn write(report: &AuditReport) -> Result<Vec<u8>, PdfError> {
    let font = Font::new(FONT.into(), 0).ok_or(PdfError::Font)?;
    let pages = lay_out(report);
    let total = pages.len();
    let running =
        format!("{} · {} · {} – {}", report.organisation, t(report.lang, "report-title"), report.from, report.to);
    let mut document = Document::new();
    for (index, ops) in pages.iter().enumerate() {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| PdfError::Write("page size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        surface.set_fill(Some(fill(90)));
        surface.draw_text(Point::from_xy(LEFT, 22.0), font.clone(), 7.5, &running, false, TextDirection::Auto);
        let footer = format!("{} / {total}", index + 1);
        surface.draw_text(
            Point::from_xy(RIGHT - width(&footer, 7.5), PAGE_H - 14.0),
            font.clone(),
            7.5,
            &footer,
            false,
            TextDirection::Auto,
        );
        for op in ops {
            match op {
                Op::Band { x, y, w, h } => {
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        let mut path = PathBuilder::new();
                        path.push_rect(rect);
                        if let Some(path) = path.finish() {
                            surface.set_fill(Some(fill(232)));
                            surface.draw_path(&path);
                        }
                    }
                }
                Op::Rule { x1, y1, x2, y2 } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, *y1);
                    path.line_to(*x2, *y2);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: rgb::Color::new(200, 200, 200).into(),
                            width: 0.4,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Op::Text { x, y, size, text, grey } => {
                    surface.set_fill(Some(fill(if *grey { 90 } else { 20 })));
                    surface.draw_text(Point::from_xy(*x, *y), font.clone(), *size, text, false, TextDirection::Auto);
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_taller_than_a_page_continues_on_the_next_pages_without_leaving_the_page() {
        let long = "長い記述。".repeat(3000);
        let table = Table {
            key: "records",
            title: "記録".into(),
            headers: vec!["概要".into(), "実施日".into()],
            rows: vec![vec![super::super::tables::Cell::Text(long), super::super::tables::Cell::Date(None)]],
        };
        let mut pages = Pages::new();
        super::table(&mut pages, &table, 1);
        assert!(pages.pages.len() >= 3, "{} pages", pages.pages.len());
        let drawn: usize = pages
            .pages
            .iter()
            .flatten()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.matches('長').count()),
                _ => None,
            })
            .sum();
        assert_eq!(drawn, 3000, "every line of the cell is drawn somewhere");
        for ops in &pages.pages {
            for op in ops {
                if let Op::Text { y, .. } = op {
                    assert!(*y <= BOTTOM, "text at {y} runs into the footer");
                }
            }
        }
    }

    #[test]
    fn half_width_letters_count_half_and_long_text_wraps_within_the_width() {
        assert!((width("A.3.3.1", 10.0) - 35.0).abs() < f32::EPSILON);
        assert!((width("安全管理措置", 10.0) - 60.0).abs() < f32::EPSILON);
        let lines = wrap("個人情報保護マネジメントシステム運用状況報告書", 50.0, 10.0);
        assert_eq!(lines.len(), 5);
        assert!(lines.iter().all(|l| width(l, 10.0) <= 50.0));
        assert_eq!(wrap("一行目\n二行目", 500.0, 10.0), vec!["一行目", "二行目"]);
    }
}
