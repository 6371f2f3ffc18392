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

use crate::i18n::{Locale, t};

use super::model::{AuditReport, Level};
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
/// A cell at most this wide (in ems) is never wrapped when the columns are sized: `未着手`,
/// `山田 花子`, `期限後に提出`.
const SHORT_EMS: f32 = 8.0;
/// The size of a section's heading.
const HEADING_SIZE: f32 = 11.0;

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

/// Closing punctuation that never starts a line (it stays with what it closes).
const NO_LINE_START: &str = "、。，．）」』】〕〉》・ー々ゃゅょっャュョッ！？：；%)";
/// Opening brackets that never end a line (they stay with what they open).
const NO_LINE_END: &str = "（「『【〔〈《(";

/// Whether `c` belongs to a token that is never broken: ASCII letters, digits and punctuation,
/// so that `2026-04-01`, `A.3.4.2.8.1`, `https://…` and `(3)` stay whole.
fn token_char(c: char) -> bool {
    c.is_ascii_graphic()
}

/// Cuts a paragraph into the pieces a line may break between: runs of token characters (a
/// Japanese date 2026年4月1日 counts as one: 年, 月 and 日 after a digit continue the token), each
/// other character on its own, and runs of spaces (where a line breaks first). Closing
/// punctuation joins the piece before it, an opening bracket the piece after it.
fn pieces(paragraph: &str) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    let mut previous: Option<char> = None;
    for c in paragraph.chars().filter(|c| !c.is_control()) {
        let last = pieces.last_mut();
        let joins = match (last, previous) {
            (Some(last), Some(p)) => {
                let glued_date = "年月日".contains(c) && p.is_ascii_digit();
                let in_token = token_char(c) && (token_char(p) || "年月".contains(p) && c.is_ascii_digit());
                let spaces = c.is_whitespace() && p.is_whitespace();
                let closing = NO_LINE_START.contains(c) && !p.is_whitespace();
                let opened = NO_LINE_END.contains(p) && !c.is_whitespace();
                if glued_date || in_token || spaces || closing || opened {
                    last.push(c);
                    true
                } else {
                    false
                }
            }
            _ => false,
        };
        if !joins {
            pieces.push(c.to_string());
        }
        previous = Some(c);
    }
    pieces
}

fn ems(text: &str) -> f32 {
    text.chars().map(char_ems).sum()
}

/// The widest piece of `text` that `wrap` never breaks, at `size`.
fn widest_piece(text: &str, size: f32) -> f32 {
    text.split('\n').flat_map(pieces).map(|p| ems(&p) * size).fold(0.0, f32::max)
}

/// Splits `text` into lines no wider than `max` (line breaks kept). Lines break at spaces and
/// between Japanese characters, never inside a token (`pieces`); only a token wider than a
/// whole line is cut, by character.
fn wrap(text: &str, max: f32, size: f32) -> Vec<String> {
    let limit = max / size;
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let (mut line, mut width) = (String::new(), 0.0);
        for piece in pieces(paragraph) {
            let w = ems(&piece);
            if piece.starts_with(char::is_whitespace) {
                if !line.is_empty() {
                    line.push_str(&piece);
                    width += w;
                }
                continue;
            }
            if width + w > limit && !line.is_empty() {
                lines.push(std::mem::take(&mut line).trim_end().to_owned());
                width = 0.0;
            }
            if w > limit {
                // Wider than a line: cut it where the line is full.
                for c in piece.chars() {
                    let cw = char_ems(c);
                    if width + cw > limit && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        width = 0.0;
                    }
                    line.push(c);
                    width += cw;
                }
            } else {
                line.push_str(&piece);
                width += w;
            }
        }
        lines.push(line.trim_end().to_owned());
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

/// Column widths over the page's width: each column gets at least its widest unbreakable piece
/// (a date, a control id, a short status), and the room left goes to the columns in proportion
/// to what they would need on one line.
fn column_widths(table: &Table, locale: Locale) -> Vec<f32> {
    let available = RIGHT - LEFT;
    let texts = |i: usize| {
        std::iter::once(table.headers[i].clone())
            .chain(table.rows.iter().filter_map(move |row| row.get(i)).map(move |cell| cell.shown(locale)))
    };
    let (minimum, desired): (Vec<f32>, Vec<f32>) = (0..table.headers.len())
        .map(|i| {
            // A short value (a status, a name, a date) is kept on one line.
            let short = |t: &String| if ems(t) <= SHORT_EMS { width(t, CELL_SIZE) } else { widest_piece(t, CELL_SIZE) };
            let piece = texts(i).map(|t| short(&t)).fold(0.0, f32::max);
            let line = texts(i).map(|t| width(&t, CELL_SIZE)).fold(0.0, f32::max);
            let minimum = (piece + 2.0 * PAD).max(24.0);
            (minimum, (line + 2.0 * PAD).clamp(minimum, 260.0))
        })
        .unzip();
    let (least, most): (f32, f32) = (minimum.iter().sum(), desired.iter().sum());
    if least >= available {
        return minimum.iter().map(|w| w * available / least).collect();
    }
    if most <= available {
        return desired.iter().map(|w| w * available / most).collect();
    }
    // Each column past its minimum by a share of the room left.
    let room = available - least;
    minimum.iter().zip(&desired).map(|(m, d)| m + (d - m) * room / (most - least)).collect()
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

fn table(pages: &mut Pages, table: &Table, locale: Locale) {
    if table.head.level == Level::Top && pages.y > TOP {
        pages.new_page();
    }
    pages.room_for(60.0);
    pages.line(HEADING_SIZE, &table.head.heading());
    let widths = column_widths(table, locale);
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
        let texts: Vec<String> = cells.iter().map(|cell| cell.shown(locale)).collect();
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
            report.locale().date(report.from),
            report.locale().date(report.to),
            t(lang, "report-generated"),
            report.locale().date(report.generated_on)
        ),
    );
    pages.y += 8.0;
    for section in tables(report) {
        table(&mut pages, &section, report.locale());
    }
    pages.pages
}

/// Every line of text the PDF's pages draw, in order (the running header and footer aside).
pub fn text_lines(report: &AuditReport) -> Vec<String> {
    lay_out(report)
        .into_iter()
        .flatten()
        .filter_map(|op| match op {
            Op::Text { text, .. } => Some(text),
            _ => None,
        })
        .collect()
}

/// The section headings the PDF prints, in order (for checking them against the other formats).
pub fn headings(report: &AuditReport) -> Vec<String> {
    lay_out(report)
        .into_iter()
        .flatten()
        .filter_map(|op| match op {
            #[allow(clippy::float_cmp)]
            Op::Text { size, text, .. } if size == HEADING_SIZE => Some(text),
            _ => None,
        })
        .collect()
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
    let running = format!(
        "{} · {} · {} – {}",
        report.organisation,
        t(report.lang, "report-title"),
        report.locale().date(report.from),
        report.locale().date(report.to)
    );
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
    use super::super::model::{SectionHead, SectionKey};
    use super::super::tables::Cell;
    use super::*;

    fn head(title: &str) -> SectionHead {
        SectionHead { key: SectionKey::Records, level: Level::Top, number: "3".into(), title: title.into() }
    }

    /// The dates and control ids in `text`: `2026-04-01`, `2026年4月1日`, `A.3.4.2.8.1`.
    fn tokens(text: &str) -> Vec<String> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || ".-年月日".contains(c)))
            .map(|t| t.trim_matches(|c: char| c == '.' || c == '-'))
            .filter(|t| {
                let dashed = t.len() == 10 && t.chars().filter(|c| *c == '-').count() == 2;
                let japanese = t.contains('年') && t.ends_with('日');
                let control = t.starts_with("A.") && t.len() > 3;
                dashed || japanese || control
            })
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn lines_break_at_spaces_and_between_japanese_characters_never_inside_a_date_or_an_id() {
        let text = "2026-04-01 実施 A.3.4.2.8.1 の見直しは2026年4月1日までに完了（担当：山田）。次回 2027-03-31";
        let expected = tokens(text);
        assert_eq!(expected.len(), 4, "{expected:?}");
        // Every width from one date wide to the whole text on one line.
        for tenth in 55..=500 {
            #[allow(clippy::cast_precision_loss)]
            let max = tenth as f32;
            let lines = wrap(text, max, 1.0);
            for line in &lines {
                assert!(width(line, 1.0) <= max, "{line:?} is wider than {max}");
                assert!(!line.starts_with(['。', '、', '）', ' ']), "{line:?} starts with closing punctuation");
                assert!(!line.ends_with('（'), "{line:?} ends with an opening bracket");
            }
            for token in &expected {
                assert!(lines.iter().any(|l| l.contains(token.as_str())), "{token} split at {max}: {lines:?}");
            }
            let joined: String = lines.concat().split_whitespace().collect();
            let original: String = text.split_whitespace().collect();
            assert_eq!(joined, original, "nothing is lost at {max}");
        }
    }

    #[test]
    fn a_token_wider_than_the_column_is_the_only_thing_cut() {
        let lines = wrap("https://example.jp/a/very/long/address", 10.0, 1.0);
        assert!(lines.len() > 1 && lines.iter().all(|l| width(l, 1.0) <= 10.0), "{lines:?}");
        assert_eq!(wrap("年月日", 1.5, 1.0), vec!["年", "月", "日"], "Japanese breaks anywhere");
    }

    #[test]
    fn a_laid_out_table_of_many_columns_keeps_every_date_and_control_id_on_one_line() {
        let dates = |n: usize| Cell::Text(format!("2026-0{n}-0{n}、2026年{n}月{n}日"));
        let table = Table {
            head: head("運用の記録"),
            headers: (1..=12).map(|i| format!("列{i}")).collect(),
            rows: (1..=6)
                .map(|n| {
                    let mut row = vec![
                        Cell::Text(format!("A.3.4.2.8.{n}")),
                        Cell::Text("個人情報保護マネジメントシステムの運用状況を確認した記録の長い概要".repeat(2)),
                        Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 4, 1)),
                        Cell::Text("未着手".into()),
                        Cell::Text("山田 花子".into()),
                    ];
                    row.extend((0..7).map(|_| dates(n)));
                    row
                })
                .collect(),
        };
        let mut pages = Pages::new();
        super::table(&mut pages, &table, Locale::default());
        let drawn: Vec<String> = pages
            .pages
            .iter()
            .flatten()
            .filter_map(|op| match op {
                Op::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect();
        for row in &table.rows {
            for cell in row {
                for token in tokens(&cell.shown(Locale::default())) {
                    assert!(drawn.iter().any(|line| line.contains(&token)), "{token} is split: {drawn:?}");
                }
            }
        }
        assert!(drawn.iter().any(|line| line == "未着手"), "a short status stays on one line");
        assert!(drawn.iter().any(|line| line == "山田 花子"), "so does a name");
    }

    #[test]
    fn a_row_taller_than_a_page_continues_on_the_next_pages_without_leaving_the_page() {
        let long = "長い記述。".repeat(3000);
        let table = Table {
            head: head("記録"),
            headers: vec!["概要".into(), "実施日".into()],
            rows: vec![vec![Cell::Text(long), Cell::Date(None)]],
        };
        let mut pages = Pages::new();
        super::table(&mut pages, &table, Locale::default());
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
