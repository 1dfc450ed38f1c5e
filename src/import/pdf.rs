//! PDF with a text layer: glyphs with their positions and sizes (pdf-extract's
//! `OutputDev` over lopdf) → lines in reading order → page furniture set aside →
//! headings (by size), list items and paragraphs (by vertical gaps).
//!
//! 1. Glyphs are gathered into runs: one baseline, no wide horizontal gap.
//! 2. A page whose runs fall into two sides of a gutter is read left column first.
//! 3. The first and last lines of each page are furniture when they are page numbers or
//!    repeat (digits aside) on at least half the pages.
//! 4. Lines become blocks: a larger size is a heading, a list marker starts an item, a
//!    gap wider than the usual line spacing starts a paragraph.

use std::collections::HashMap;
use std::path::Path;

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::text::{append_line, is_page_number, list_marker};
use super::{Block, Document, ImportError, escape_inline};

/// One glyph (or a few, for a ligature) where the page puts it; `y` grows downwards.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

/// Text on one baseline.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    text: String,
    x: f64,
    end: f64,
    y: f64,
    size: f64,
}

#[derive(Default)]
struct Page {
    width: f64,
    height: f64,
    glyphs: Vec<Glyph>,
}

#[derive(Default)]
struct Collector {
    pages: Vec<Page>,
    flip: Option<Transform>,
}

impl OutputDev for Collector {
    fn begin_page(&mut self, _number: u32, media_box: &MediaBox, _art_box: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        let height = media_box.ury - media_box.lly;
        self.flip = Some(Transform::row_major(1., 0., 0., -1., 0., height));
        self.pages.push(Page { width: media_box.urx - media_box.llx, height, glyphs: Vec::new() });
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(&mut self, trm: &Transform, width: f64, _spacing: f64, font_size: f64, text: &str) -> Result<(), OutputError> {
        let (Some(flip), Some(page)) = (self.flip, self.pages.last_mut()) else { return Ok(()) };
        let position = trm.post_transform(&flip);
        // The font size as the page shows it: the side of the square with the area the
        // text matrix gives a size × size square (as pdf-extract's own text output does).
        let scaled_x = font_size * (trm.m11 + trm.m21);
        let scaled_y = font_size * (trm.m12 + trm.m22);
        let size = (scaled_x * scaled_y).abs().sqrt();
        if !size.is_finite() || size <= 0.0 {
            return Ok(());
        }
        page.glyphs.push(Glyph { x: position.m31, y: position.m32, end: position.m31 + width * size, size, text: text.to_owned() });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

pub fn read(bytes: &[u8], path: &Path) -> Result<Document, ImportError> {
    let shown = path.display().to_string();
    let broken = |detail: String| ImportError::BrokenPdf { path: shown.clone(), detail };
    let mut pdf = pdf_extract::Document::load_mem(bytes).map_err(|error| broken(error.to_string()))?;
    if pdf.is_encrypted() && pdf.decrypt("").is_err() {
        return Err(ImportError::Encrypted { path: shown });
    }
    let mut collector = Collector::default();
    // pdf-extract unwraps on some malformed PDFs; a broken file must be an error that
    // names it, not a crash, so its panics are caught here and their message kept quiet.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pdf_extract::output_doc(&pdf, &mut collector)));
    std::panic::set_hook(previous_hook);
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(error)) => return Err(broken(format!("{error:?}"))),
        Err(_) => return Err(broken("its content could not be decoded".to_owned())),
    }
    let text_glyphs = collector.pages.iter().flat_map(|page| &page.glyphs).filter(|glyph| !glyph.text.trim().is_empty()).count();
    if text_glyphs == 0 {
        let stem = path.file_stem().map_or_else(|| "statement".to_owned(), |stem| stem.to_string_lossy().into_owned());
        return Err(ImportError::NoTextLayer { path: shown, stem });
    }
    Ok(layout(collector.pages))
}

fn layout(pages: Vec<Page>) -> Document {
    let mut document = Document::default();
    let mut page_lines: Vec<(Vec<Line>, f64)> = Vec::new();
    let mut empty_pages = Vec::new();
    let mut two_columns = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let runs = runs(&page.glyphs);
        if runs.is_empty() {
            empty_pages.push(index + 1);
        }
        let (lines, columns) = reading_order(runs, page.width);
        if columns {
            two_columns.push(index + 1);
        }
        page_lines.push((lines, page.height));
    }
    let furniture = furniture(&page_lines);
    let mut lines = Vec::new();
    for (page, (page_lines, _)) in page_lines.into_iter().enumerate() {
        for (index, line) in page_lines.into_iter().enumerate() {
            if furniture.contains(&(page, index)) {
                document.furniture.push(line.text);
            } else {
                lines.push((page, line));
            }
        }
    }
    document.blocks = blocks(&lines);
    if !two_columns.is_empty() {
        document.notes.push(format!("{} set in two columns: read as the left column, then the right; check the order", pages_named(&two_columns)));
    }
    if !empty_pages.is_empty() {
        let verb = if empty_pages.len() == 1 { "has" } else { "have" };
        document.notes.push(format!("{} {verb} no text (a scanned image?): that text is missing from the draft; run OCR on the PDF and import it again", pages_named(&empty_pages)));
    }
    document
}

fn pages_named(pages: &[usize]) -> String {
    let numbers: Vec<String> = pages.iter().map(usize::to_string).collect();
    if pages.len() == 1 { format!("page {}", numbers[0]) } else { format!("pages {}", numbers.join(", ")) }
}

/// Glyphs in content-stream order → runs of text on one baseline.
fn runs(glyphs: &[Glyph]) -> Vec<Line> {
    let mut runs: Vec<Line> = Vec::new();
    for glyph in glyphs {
        let continues = runs.last().is_some_and(|run| {
            (glyph.y - run.y).abs() < 0.35 * run.size.max(glyph.size)
                && glyph.x > run.end - 0.5 * glyph.size
                && glyph.x < run.end + 2.5 * glyph.size
        });
        if continues {
            let run = runs.last_mut().expect("a run to continue");
            if glyph.x > run.end + 0.15 * glyph.size && !run.text.ends_with(' ') && !glyph.text.starts_with(' ') {
                run.text.push(' ');
            }
            run.text.push_str(&glyph.text);
            run.end = run.end.max(glyph.end);
            if !glyph.text.trim().is_empty() {
                run.size = run.size.max(glyph.size);
            }
        } else if !glyph.text.trim().is_empty() {
            runs.push(Line { text: glyph.text.clone(), x: glyph.x, end: glyph.end, y: glyph.y, size: glyph.size });
        }
    }
    for run in &mut runs {
        run.text = run.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    runs.retain(|run| !run.text.is_empty());
    runs
}

/// Orders a page's runs for reading; true when the page was read as two columns.
fn reading_order(mut runs: Vec<Line>, width: f64) -> (Vec<Line>, bool) {
    let middle = width / 2.0;
    let left = runs.iter().filter(|run| run.end < middle).count();
    let right = runs.iter().filter(|run| run.x > middle).count();
    let columns = left >= 3 && right >= 3;
    if columns {
        let top = runs.iter().filter(|run| run.end < middle || run.x > middle).map(|run| run.y).fold(f64::INFINITY, f64::min);
        let bottom = runs.iter().filter(|run| run.end < middle || run.x > middle).map(|run| run.y).fold(f64::NEG_INFINITY, f64::max);
        let place = |run: &Line| -> (u8, u8) {
            let band = if run.y < top - 0.1 { 0 } else if run.y > bottom + 0.1 { 2 } else { 1 };
            let column = if band == 1 && run.x > middle { 1 } else { 0 };
            (band, column)
        };
        runs.sort_by(|a, b| place(a).cmp(&place(b)).then(a.y.total_cmp(&b.y)).then(a.x.total_cmp(&b.x)));
        return (runs, true);
    }
    runs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    // Runs on one baseline (a tab, a justified gap) are one line.
    let mut lines: Vec<Line> = Vec::new();
    for run in runs {
        match lines.last_mut() {
            Some(line) if (run.y - line.y).abs() < 0.35 * line.size => {
                line.text.push(' ');
                line.text.push_str(&run.text);
                line.end = run.end;
                line.size = line.size.max(run.size);
            }
            _ => lines.push(run),
        }
    }
    (lines, false)
}

/// The (page, line) indexes of running headers, footers and page numbers: among the
/// first and last two lines of each page, those that are page numbers or repeat on at
/// least half of the pages (with digits ignored, so `Sida 2 (6)` repeats `Sida 1 (6)`).
fn furniture(pages: &[(Vec<Line>, f64)]) -> Vec<(usize, usize)> {
    let shape = |text: &str| -> String { text.chars().map(|character| if character.is_ascii_digit() { '#' } else { character }).collect() };
    // By position, not by reading order: a short footer sits in the left column's
    // half of a two-column page and would be read as that column's last line.
    let candidates = |lines: &[Line], height: f64| -> Vec<usize> {
        let mut baselines: Vec<f64> = lines.iter().map(|line| line.y).collect();
        baselines.sort_by(f64::total_cmp);
        baselines.dedup_by(|a, b| (*a - *b).abs() < 1.0);
        let count = baselines.len();
        let edge: Vec<f64> = baselines.iter().enumerate().filter(|(index, _)| *index < 2 || index + 2 >= count).map(|(_, y)| *y).collect();
        (0..lines.len())
            .filter(|index| {
                let y = lines[*index].y;
                edge.iter().any(|edge| (edge - y).abs() < 1.0) && (y < height * 0.15 || y > height * 0.85)
            })
            .collect()
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (lines, height) in pages {
        let mut shapes: Vec<String> = candidates(lines, *height).into_iter().map(|index| shape(&lines[index].text)).collect();
        shapes.sort();
        shapes.dedup();
        for line_shape in shapes {
            *seen.entry(line_shape).or_default() += 1;
        }
    }
    let enough = pages.len().div_ceil(2).max(2);
    let mut found = Vec::new();
    for (page, (lines, height)) in pages.iter().enumerate() {
        for index in candidates(lines, *height) {
            let text = &lines[index].text;
            if is_page_number(text) || seen.get(&shape(text)).is_some_and(|count| *count >= enough) {
                found.push((page, index));
            }
        }
    }
    found
}

/// Lines in reading order → headings, list items and paragraphs.
fn blocks(lines: &[(usize, Line)]) -> Vec<Block> {
    let body_size = most_common_size(lines.iter().map(|(_, line)| line));
    // The usual distance between two lines of a paragraph.
    let mut gaps: Vec<f64> = lines
        .windows(2)
        .filter(|pair| pair[0].0 == pair[1].0 && same_size(pair[0].1.size, body_size) && same_size(pair[1].1.size, body_size))
        .map(|pair| pair[1].1.y - pair[0].1.y)
        .filter(|gap| *gap > 0.0)
        .collect();
    gaps.sort_by(f64::total_cmp);
    let spacing = gaps.get(gaps.len() / 4).copied().unwrap_or(body_size * 1.2);
    let mut heading_sizes: Vec<f64> =
        lines.iter().map(|(_, line)| line.size).filter(|size| *size > body_size * 1.12).collect();
    heading_sizes.sort_by(|a, b| b.total_cmp(a));
    heading_sizes.dedup_by(|a, b| (*a - *b).abs() < 0.5);

    let mut blocks = Vec::new();
    let mut current: Option<(Block, usize, Line)> = None;
    for (page, line) in lines {
        let text = escape_inline(&line.text);
        let heading_level = heading_sizes.iter().position(|size| (size - line.size).abs() < 0.5).map(|index| (index + 1).min(3) as u8);
        let continues = current.as_ref().is_some_and(|(block, last_page, last)| {
            let same_kind = match block {
                Block::Heading(level, _) => Some(*level) == heading_level,
                _ => heading_level.is_none(),
            };
            let gap = line.y - last.y;
            // A heading's lines are set further apart, in proportion to its size.
            let usual = if heading_level.is_some() { line.size * 1.25 } else { spacing };
            let close = if *last_page == *page { gap > 0.0 && gap < usual * 1.35 } else { !ends_sentence(&last.text) };
            let column_jump = *last_page == *page && gap < 0.0 && !ends_sentence(&last.text);
            same_kind && (close || column_jump) && (heading_level.is_some() || list_marker(&line.text).is_none())
        });
        if continues {
            let (block, _, last) = current.as_mut().expect("a block to continue");
            if let Block::Heading(_, text_so_far) | Block::Paragraph(text_so_far) | Block::Item(_, text_so_far) = block {
                append_line(text_so_far, &text);
            }
            *last = line.clone();
            current.as_mut().expect("a block to continue").1 = *page;
            continue;
        }
        if let Some((block, _, _)) = current.take() {
            blocks.push(block);
        }
        let block = match (heading_level, list_marker(&line.text)) {
            (Some(level), _) => Block::Heading(level, text),
            (None, Some((number, rest))) => Block::Item(number, escape_inline(rest)),
            (None, None) => Block::Paragraph(text),
        };
        current = Some((block, *page, line.clone()));
    }
    blocks.extend(current.map(|(block, _, _)| block));
    blocks
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(['.', ':', '!', '?', ';'])
}

fn same_size(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.5
}

/// The size most of the text is set in (counted by characters).
fn most_common_size<'a>(lines: impl Iterator<Item = &'a Line>) -> f64 {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for line in lines {
        *counts.entry((line.size * 2.0).round() as i64).or_default() += line.text.chars().count();
    }
    counts.into_iter().max_by_key(|(size, count)| (*count, -size)).map_or(11.0, |(size, _)| size as f64 / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, y: f64) -> Line {
        Line { text: text.to_owned(), x: 70.0, end: 500.0, y, size: 11.0 }
    }

    #[test]
    fn running_headers_and_page_numbers_are_furniture() {
        let page = |number: usize| {
            (vec![
                line("Malmö stad · Arbetsmarknads- och socialnämnden", 40.0),
                line(&format!("Text på sidan {number} som inte upprepas."), 300.0),
                line("Mer text.", 314.0),
                line(&format!("Sida {number} (3)"), 800.0),
            ], 842.0)
        };
        let pages = vec![page(1), page(2), page(3)];
        assert_eq!(furniture(&pages), vec![(0, 0), (0, 3), (1, 0), (1, 3), (2, 0), (2, 3)]);
    }

    #[test]
    fn a_line_in_the_middle_of_the_page_is_never_furniture() {
        let pages = vec![(vec![line("Rubrik", 40.0), line("4", 400.0), line("Text", 420.0), line("Slut", 440.0), line("Sista", 460.0)], 842.0)];
        assert!(furniture(&pages).is_empty());
    }

    #[test]
    fn a_paragraph_continues_across_a_page_break_and_its_hyphen_is_joined() {
        let lines = vec![
            (0, line("Nämnden anser", 672.0)),
            (0, line("med skäl", 686.0)),
            (0, line("att hand-", 700.0)),
            (1, line("lingsutrymmet ska växa.", 80.0)),
            (1, line("Ett nytt stycke,", 120.0)),
            (1, line("på två rader.", 134.0)),
        ];
        assert_eq!(blocks(&lines), vec![Block::Paragraph("Nämnden anser med skäl att handlingsutrymmet ska växa.".into()), Block::Paragraph("Ett nytt stycke, på två rader.".into())]);
    }

    #[test]
    fn two_columns_are_read_left_then_right() {
        let run = |text: &str, x: f64, y: f64| Line { text: text.to_owned(), x, end: x + 200.0, y, size: 11.0 };
        let runs = vec![run("v1", 60.0, 100.0), run("h1", 320.0, 100.0), run("v2", 60.0, 114.0), run("h2", 320.0, 114.0), run("v3", 60.0, 128.0), run("h3", 320.0, 128.0)];
        let (lines, columns) = reading_order(runs, 595.0);
        assert!(columns);
        assert_eq!(lines.iter().map(|line| line.text.as_str()).collect::<Vec<_>>(), ["v1", "v2", "v3", "h1", "h2", "h3"]);
    }
}
