//! Markdown, parsed with pulldown-cmark and changed on its event stream (never with
//! regexes on HTML).
//!
//! A statement's text is cut into *passages*: paragraphs, headings, list items, tables
//! and code blocks, counted in document order. The model finds each quote among the
//! passages' readable text ([`passages`]); rendering gives the passage that holds a
//! quote an anchor and a note ([`render`]). Both walk the text with [`PassageCounter`],
//! so the two always count the same passages.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::slug::slugify;

fn parser(markdown: &str) -> Parser<'_> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    Parser::new_ext(markdown, options)
}

/// Text as compared for quotes: Unicode-normalised, whitespace runs folded to one space.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    // Most text is in NFC already, and the quick check is much cheaper than composing.
    let composed: Cow<str> = match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    };
    for word in composed.split_whitespace() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.push_str(word);
    }
    folded
}

/// The name of a character that shows as nothing: copied out of a PDF or a web page,
/// it makes two strings that look the same differ.
pub fn invisible_name(character: char) -> Option<&'static str> {
    Some(match character {
        '\u{00AD}' => "soft hyphen",
        '\u{034F}' => "combining grapheme joiner",
        '\u{061C}' => "Arabic letter mark",
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => "Hangul filler",
        '\u{180E}' => "Mongolian vowel separator",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' => "left-to-right mark",
        '\u{200F}' => "right-to-left mark",
        '\u{202A}'..='\u{202E}' => "bidirectional formatting character",
        '\u{2060}' => "word joiner",
        '\u{2061}'..='\u{2064}' => "invisible operator",
        '\u{2066}'..='\u{2069}' => "bidirectional isolate",
        '\u{FE00}'..='\u{FE0F}' => "variation selector",
        '\u{FEFF}' => "zero-width no-break space",
        character if character.is_control() && !matches!(character, '\t' | '\n' | '\r') => "control character",
        _ => return None,
    })
}

/// Whether a text says nothing a reader could see: empty, spaces, invisible characters.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|character| character.is_whitespace() || invisible_name(character).is_some())
}

fn is_passage(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::Table(_) | Tag::CodeBlock(_) | Tag::HtmlBlock
    )
}

/// Follows the event stream and tells where each passage starts and ends. A passage
/// holds everything nested in it (a list item's sub-list belongs to the item).
#[derive(Default)]
struct PassageCounter {
    next: usize,
    depth: usize,
}

enum Boundary {
    Start(usize),
    End(usize),
    None,
}

impl PassageCounter {
    fn step(&mut self, event: &Event) -> Boundary {
        match event {
            Event::Start(tag) if self.depth == 0 && is_passage(tag) => {
                self.depth = 1;
                self.next += 1;
                Boundary::Start(self.next - 1)
            }
            Event::Start(_) if self.depth > 0 => {
                self.depth += 1;
                Boundary::None
            }
            Event::End(_) if self.depth > 0 => {
                self.depth -= 1;
                if self.depth == 0 { Boundary::End(self.next - 1) } else { Boundary::None }
            }
            _ => Boundary::None,
        }
    }

    fn inside(&self) -> bool {
        self.depth > 0
    }
}

/// How deeply elements may nest in a content file's text (Markdown and raw HTML
/// together). Real statements nest a few levels; the HTML parsers and the minifier
/// remiss uses work recursively or in time that grows with the depth, so a text
/// nested thousands of levels deep would abort the build or hold it for minutes.
pub const MAX_DEPTH: usize = 100;

/// Ids the templates and the renderer give elements of a page: a quoted passage's
/// anchor (`svar-…`), the preview's own (`remiss-…`), the search form's (`sok…`), and
/// every template id, which holds an underscore (`_innehall`, `forslag_…`,
/// `omradet_…`): an id made from a heading's text never does. Content that took one
/// would take a deep link or the skip link with it.
pub fn is_reserved_id(id: &str) -> bool {
    const PREFIXES: [&str; 2] = ["svar-", "remiss-"];
    const IDS: [&str; 2] = ["sok", "sok-utan-javascript"];
    id.contains('_') || PREFIXES.iter().any(|prefix| id.starts_with(prefix)) || IDS.contains(&id)
}

/// Problems with a content file's text that stop it being published: nesting deeper
/// than [`MAX_DEPTH`], and ids that the generator owns (see [`is_reserved_id`]); and,
/// as warnings, images the pages will not load (they are on another site).
/// `body` is where the Markdown lies in the file.
pub fn check(file: &SourceFile, body: Range<usize>) -> Vec<Diagnostic> {
    let markdown = &file.text[body.clone()];
    let at = |range: Range<usize>| body.start + range.start..body.start + range.end;
    let mut depth = HtmlDepth::default();
    let mut problems = Vec::new();
    for (event, range) in parser(markdown).into_offset_iter() {
        let too_deep = match &event {
            Event::Start(_) => {
                depth.markdown += 1;
                (depth.total() > MAX_DEPTH).then_some(range.clone())
            }
            Event::End(_) => {
                depth.markdown = depth.markdown.saturating_sub(1);
                None
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                depth.read(html).map(|offset| range.start + offset..range.start + offset + 1)
            }
            _ => None,
        };
        if let Some(range) = too_deep {
            return vec![Diagnostic::at(file, at(range), format!("the text nests more than {MAX_DEPTH} levels deep here"))
                .with_help("lists, block quotes, emphasis and HTML elements inside each other count as levels; a reader cannot follow such nesting, so flatten it (or close the HTML elements left open)")];
        }
        if let Event::Start(Tag::Image { dest_url, .. }) = &event
            && is_on_another_site(dest_url)
        {
            problems.push(
                Diagnostic::at(file, at(range.clone()), "this image is on another site: the pages do not load it")
                    .with_help("the site's Content-Security-Policy loads images from the site only (a reader's visit is not told to other sites); copy the image into static/ and link it from there")
                    .as_warning(),
            );
        }
        let written: Vec<(String, usize)> = match &event {
            Event::Start(Tag::Heading { id: Some(id), .. }) => vec![(id.to_string(), 0)],
            Event::Html(html) | Event::InlineHtml(html) if html.contains("id") || html.contains("ID") => html_ids(html),
            _ => Vec::new(),
        };
        for (id, offset) in written.into_iter().filter(|(id, _)| is_reserved_id(id)) {
            let start = range.start + offset;
            problems.push(Diagnostic::at(file, at(start..start + id.len().max(1)), format!("the id `{id}` is one remiss gives its own elements"))
                .with_help("ids starting with `svar-` or `remiss-`, ids with `_`, and `sok` mark the quotes' passages and the page's own parts; choose another id of letters, digits and hyphens, or leave it out (a heading gets one from its text)"));
        }
    }
    problems
}

/// Whether a link leads to another site (an absolute web address, or one without its
/// scheme).
fn is_on_another_site(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//")
}

/// The ids in a piece of raw HTML, with where each is written in it.
fn html_ids(html: &str) -> Vec<(String, usize)> {
    let fragment = scraper::Html::parse_fragment(html);
    fragment
        .root_element()
        .descendent_elements()
        .filter_map(|element| element.value().id())
        .map(|id| (id.to_owned(), html.find(id).unwrap_or(0)))
        .collect()
}

/// The nesting of a text: Markdown's containers, and the HTML elements opened in raw
/// HTML and not closed yet (the page's parser nests whatever follows inside them).
#[derive(Default)]
struct HtmlDepth {
    markdown: usize,
    html: usize,
}

impl HtmlDepth {
    fn total(&self) -> usize {
        self.markdown + self.html
    }

    /// Counts the tags of raw HTML as a tokenizer sees them: an element with no end tag
    /// (`<br>`, `<img>` …) or one its parent closes (`<p>`, `<li>` …) adds no level.
    /// Returns where in `html` the nesting first goes deeper than [`MAX_DEPTH`].
    fn read(&mut self, html: &str) -> Option<usize> {
        let mut offset = 0;
        const NOT_NESTING: [&str; 21] = [
            "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
            "p", "li", "dt", "dd", "tr", "td", "th", "option",
        ];
        for (index, tag) in html.split('<').enumerate() {
            // Where this piece starts, right after its `<` (the first piece has none).
            let at = offset;
            offset += tag.len() + 1;
            if index == 0 {
                continue;
            }
            let (closing, rest) = match tag.strip_prefix('/') {
                Some(rest) => (true, rest),
                None => (false, tag),
            };
            let name: String = rest.chars().take_while(|character| character.is_ascii_alphanumeric() || *character == '!').collect();
            let name = name.to_ascii_lowercase();
            if name.is_empty() || NOT_NESTING.contains(&name.as_str()) || name.starts_with('!') {
                continue;
            }
            let self_closing = rest.split('>').next().is_some_and(|inside| inside.ends_with('/'));
            if closing {
                self.html = self.html.saturating_sub(1);
            } else if !self_closing {
                self.html += 1;
                if self.total() > MAX_DEPTH {
                    return Some(at.saturating_sub(1));
                }
            }
        }
        None
    }
}

/// The readable text of every passage, folded (see [`fold`]).
pub fn passages(markdown: &str) -> Vec<String> {
    let mut counter = PassageCounter::default();
    let mut texts = Vec::new();
    let mut current = String::new();
    let mut raw_html = String::new();
    for event in parser(markdown) {
        let boundary = counter.step(&event);
        match (&event, boundary) {
            (_, Boundary::End(_)) => {
                if !raw_html.is_empty() {
                    current.push_str(&html_text(&std::mem::take(&mut raw_html)));
                }
                texts.push(fold(&std::mem::take(&mut current)));
            }
            (Event::Text(text) | Event::Code(text), _) if counter.inside() => current.push_str(text),
            (Event::Html(html), _) if counter.inside() => raw_html.push_str(html),
            (Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::TableCell), _) => current.push(' '),
            _ => {}
        }
    }
    texts
}

/// The text a reader sees of a raw HTML block, as it is published (defused and
/// sanitised): a quote is found in it as in any other passage.
fn html_text(html: &str) -> String {
    let sanitised = sanitiser().clean(&defuse_html(html)).to_string();
    scraper::Html::parse_fragment(&sanitised).root_element().text().collect()
}

/// A passage's readable text for the search index, as [`render`] publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchBlock {
    pub text: String,
    /// The element that holds the passage: `p`, `li`, `h2` …
    pub element: &'static str,
    /// The heading level (1–6), for a heading.
    pub heading: Option<u8>,
    /// The id a link to this passage lands on: a heading's, or a quote's anchor.
    pub id: Option<String>,
}

/// The passages of `markdown` with their text and ids, for the search index: ids are
/// given exactly as [`render`] gives them (`anchors` are the quoted passages' first
/// blocks and anchors, as in its `marks`), so that a search result lands where the page
/// has the id. Blocks inside a passage (a list's items, a table's cells) end with a full
/// stop where they have none, as Pagefind's do, so that a snippet does not run one into
/// the next; the passages themselves are left to the index to join.
pub fn search_blocks(markdown: &str, anchors: &[(usize, &str)]) -> Vec<SearchBlock> {
    let mut starts: BTreeMap<usize, &str> = BTreeMap::new();
    for &(block, id) in anchors {
        starts.entry(block).or_insert(id);
    }
    // Not defused as `render` does: raw HTML is read through `html_text`, which defuses and
    // sanitises it as quotes are looked for in it, and ids and text come out the same.
    let events: Vec<Event> = parser(markdown).collect();
    let mut heading_ids = HeadingIds { used: anchors.iter().map(|(_, id)| (*id).to_owned()).collect() };
    // Footnotes are numbered in the order pulldown-cmark's writer numbers them.
    let mut footnotes: HashMap<String, usize> = HashMap::new();
    let mut counter = PassageCounter::default();
    let mut blocks = Vec::new();
    let mut current = SearchBlock { text: String::new(), element: "div", heading: None, id: None };
    let mut raw = String::new();
    for (index, event) in events.iter().enumerate() {
        let boundary = counter.step(event);
        match (event, boundary) {
            (Event::Start(Tag::Heading { level, id, .. }), Boundary::Start(block)) => {
                let anchor = starts.get(&block).map(|id| (*id).to_owned());
                let id = anchor.or(id.as_ref().map(|id| id.to_string()));
                current.id = Some(id.unwrap_or_else(|| heading_ids.unique(&heading_text(&events[index + 1..]))));
                current.heading = Some(*level as u8);
                current.element = ["h1", "h2", "h3", "h4", "h5", "h6"][(*level as usize).clamp(1, 6) - 1];
            }
            (Event::Start(Tag::Heading { id: None, .. }), _) => {
                // A heading nested in a passage takes an id too, which the next ones must not.
                heading_ids.unique(&heading_text(&events[index + 1..]));
            }
            (Event::Start(tag), Boundary::Start(block)) => {
                current.id = starts.get(&block).map(|id| (*id).to_owned());
                current.element = match tag {
                    Tag::Paragraph => "p",
                    Tag::Item => "li",
                    _ => "div",
                };
            }
            (_, Boundary::End(_)) => {
                if !raw.is_empty() {
                    push_words(&mut current.text, &html_text(&std::mem::take(&mut raw)));
                }
                let kept = current.text.trim_end().len();
                current.text.truncate(kept);
                let block = std::mem::replace(&mut current, SearchBlock { text: String::new(), element: "div", heading: None, id: None });
                if !block.text.is_empty() {
                    blocks.push(block);
                }
            }
            (Event::Start(Tag::FootnoteDefinition(label)), _) if !counter.inside() => {
                let next = footnotes.len() + 1;
                let number = *footnotes.entry(label.to_string()).or_insert(next);
                current.text = format!("{number} ");
            }
            _ if !counter.inside() => {}
            (Event::Text(text) | Event::Code(text), _) => current.text.push_str(text),
            (Event::Html(html), _) => raw.push_str(html),
            (Event::FootnoteReference(label), _) => {
                let next = footnotes.len() + 1;
                let number = *footnotes.entry(label.to_string()).or_insert(next);
                current.text.push_str(&number.to_string());
            }
            (Event::SoftBreak | Event::HardBreak, _) => current.text.push(' '),
            (Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::Heading(_)), _) => {
                end_sentence(&mut current.text);
                current.text.push(' ');
            }
            (Event::Start(Tag::Paragraph | Tag::Item | Tag::TableCell | Tag::TableRow | Tag::List(_)), _) => current.text.push(' '),
            _ => {}
        }
    }
    blocks
}

fn push_words(text: &mut String, words: &str) {
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(words);
}

/// Pagefind's rule: a block that ends in a word character or a closing quote gets a
/// full stop.
pub fn end_sentence(text: &mut String) {
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    if text.chars().last().is_some_and(|last| last.is_alphanumeric() || matches!(last, '_' | '\'' | '"' | ')' | '$' | '*')) {
        text.push('.');
    }
}

/// Marks a quote: its words wrapped in `<mark>`, the first with the anchor, the
/// blocks that hold it set apart, and a note after its last block.
#[derive(Debug, Clone)]
pub struct Mark {
    pub blocks: Range<usize>,
    /// Where the quote starts in the readable text of its first block and ends in its
    /// last one's (byte offsets in the folded text [`passages`] returns; `usize::MAX`
    /// for the end of the block).
    pub start: usize,
    pub end: usize,
    pub id: String,
    /// What the mark is, for a screen reader ("Citerat i ställningstagandet till …"):
    /// HTML, hidden from the eye, read before the quote's first words.
    pub label: String,
    /// HTML placed after the passage (inside it, for a list item).
    pub note: String,
}

impl Mark {
    /// The part of a block's readable text the quote covers.
    fn within(&self, block: usize) -> Range<usize> {
        let start = if block == self.blocks.start { self.start } else { 0 };
        let end = if block + 1 == self.blocks.end { self.end } else { usize::MAX };
        start..end
    }
}

/// Follows the readable text of a block while it is rendered, as [`passages`] folds
/// it, so that the words of a quote are found where the load stage's quote finder located
/// them: by offset, not by searching again.
#[derive(Default)]
struct QuoteWalk {
    /// The quotes in this block: index into the marks, and the part of the text.
    quotes: Vec<(usize, Range<usize>)>,
    /// How long the folded text is so far.
    folded: usize,
    /// Whitespace seen since the last word: one space in the folded text, if a word
    /// follows (leading and trailing whitespace fold away).
    space: bool,
    /// Where in the output an anchor goes when the quote starts in text that is not
    /// walked (raw HTML): the block's start.
    fallback: usize,
}

impl QuoteWalk {
    /// The offset in the folded text of the next character, and moves past it.
    fn step(&mut self, character: char) -> Option<usize> {
        if character.is_whitespace() {
            self.space = true;
            // The space folds to one at this offset, and only between words.
            return (self.folded > 0).then_some(self.folded);
        }
        if std::mem::take(&mut self.space) && self.folded > 0 {
            self.folded += 1;
        }
        let at = self.folded;
        self.folded += character.len_utf8();
        Some(at)
    }

    /// The quotes that cover an offset range of the folded text, into `covering`.
    fn cover(&self, at: Range<usize>, covering: &mut Vec<usize>) {
        covering.clear();
        covering.extend(self.quotes.iter().filter(|(_, quote)| quote.start < at.end && at.start < quote.end).map(|(mark, _)| *mark));
    }

    /// The offsets around `at` where no quote starts or ends.
    fn between_boundaries(&self, at: usize) -> Range<usize> {
        let boundaries = self.quotes.iter().flat_map(|(_, quote)| [quote.start, quote.end]);
        let start = boundaries.clone().filter(|&boundary| boundary <= at).max().unwrap_or(0);
        let end = boundaries.filter(|&boundary| boundary > at).min().unwrap_or(usize::MAX);
        start..end
    }

    fn covering(&self, at: Range<usize>) -> Vec<usize> {
        let mut covering = Vec::new();
        self.cover(at, &mut covering);
        covering
    }

    /// A piece of text, cut where quotes start and end: (text, the quotes covering it).
    fn cut(&mut self, text: &str) -> Vec<(String, Vec<usize>)> {
        // Most blocks hold no quote: their text is one piece, and walking it character
        // by character was a sixth of a large site's build.
        if self.quotes.is_empty() {
            return if text.is_empty() { Vec::new() } else { vec![(text.to_owned(), Vec::new())] };
        }
        let mut pieces: Vec<(Range<usize>, Vec<usize>)> = Vec::new();
        // Reused for every character: a piece allocates, a character does not.
        let mut covering = Vec::new();
        // The folded offsets over which `covering` holds: between two quote boundaries.
        let mut holds = 0..0;
        for (offset, character) in text.char_indices() {
            let same = match self.step(character) {
                Some(at) if holds.contains(&at) => true,
                Some(at) => {
                    self.cover(at..at + 1, &mut covering);
                    holds = self.between_boundaries(at);
                    false
                }
                None => {
                    holds = 0..0;
                    covering.clear();
                    false
                }
            };
            let end = offset + character.len_utf8();
            match pieces.last_mut() {
                Some((piece, quotes)) if same || *quotes == covering => piece.end = end,
                _ => pieces.push((offset..end, covering.clone())),
            }
        }
        pieces.into_iter().map(|(piece, quotes)| (text[piece].to_owned(), quotes)).collect()
    }

    /// Inline code is one piece: the quotes that cover any of it.
    fn whole(&mut self, text: &str) -> Vec<usize> {
        let mut range: Option<Range<usize>> = None;
        for character in text.chars() {
            if let Some(at) = self.step(character) {
                let end = at + character.len_utf8();
                range = Some(range.map_or(at..end, |range| range.start..end));
            }
        }
        range.map(|range| self.covering(range)).unwrap_or_default()
    }
}

/// The tags that open the marks of one piece of text, nested in the order of the
/// marks; the first piece of each quote carries its anchor and its label.
fn open_marks(covering: &[usize], marks: &[Mark], anchored: &mut HashSet<usize>) -> String {
    let mut html = String::new();
    for &index in covering {
        let mark = &marks[index];
        // Every piece names its quote's anchor: a quote cut by markup is one quote.
        let id = escape(&mark.id);
        if anchored.insert(index) {
            let _ = write!(html, "<mark id=\"{id}\" class=\"quote\" data-quote=\"{id}\"><span class=\"visually-hidden\" data-pagefind-ignore=\"\">{}</span>", mark.label);
        } else {
            let _ = write!(html, "<mark class=\"quote\" data-quote=\"{id}\">");
        }
    }
    html
}

fn close_marks(covering: &[usize]) -> String {
    "</mark>".repeat(covering.len())
}

#[derive(Debug, Clone, Default)]
pub struct Html {
    pub html: String,
    /// Whether the page needs the syntax-highlighting stylesheet.
    pub has_code: bool,
}

/// What to do with HTML written into the Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    /// Keep only an allow-list of harmless elements and attributes: no scripts, no
    /// event handlers, no `javascript:` URLs, no frames. For anything from outside.
    Sanitise,
    /// Keep it as written: for a site's own pages, when its config says so.
    Trust,
}

/// Renders Markdown to HTML: heading ids, highlighted code, and quoted passages marked.
pub fn render(markdown: &str, marks: &[Mark], raw_html: RawHtml) -> Html {
    // Per block: the marks that start there (an anchor), end there (a note) or run
    // through it (a quote's words).
    let mut starts: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut ends: BTreeMap<usize, Vec<&Mark>> = BTreeMap::new();
    let mut within: BTreeMap<usize, Vec<(usize, Range<usize>)>> = BTreeMap::new();
    for (index, mark) in marks.iter().enumerate() {
        starts.entry(mark.blocks.start).or_default().push(index);
        ends.entry(mark.blocks.end.saturating_sub(1)).or_default().push(mark);
        for block in mark.blocks.clone() {
            within.entry(block).or_default().push((index, mark.within(block)));
        }
    }
    let marked = |block: &usize| within.contains_key(block);
    // The marks whose anchor is placed: on the first piece of their words, or on the
    // block when it is marked whole.
    let mut anchored: HashSet<usize> = HashSet::new();

    let mut events: Vec<Event> = parser(markdown).collect();
    if raw_html == RawHtml::Sanitise {
        events = defuse(events);
    }
    let has_raw_html = events.iter().any(|event| matches!(event, Event::Html(_) | Event::InlineHtml(_)));
    // A heading must not take the id of a quoted passage's anchor.
    let mut heading_ids = HeadingIds { used: marks.iter().map(|mark| mark.id.clone()).collect() };
    let mut counter = PassageCounter::default();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut has_code = false;
    let mut language_section = None;
    // In a paragraph, heading or list item that holds quoted words: where they are.
    let mut walk: Option<QuoteWalk> = None;
    // An image's text is its `alt` attribute: no mark can go there.
    let mut in_image = 0usize;
    // Where the last marks were closed, and which: text right after under the same
    // marks continues them.
    let mut last_marks: Option<(usize, Vec<usize>)> = None;
    let mut index = 0;
    while index < events.len() {
        let event = events[index].clone();
        index += 1;
        let boundary = counter.step(&event);
        // Starts walking a block's text: a placeholder is left where an anchor goes if
        // the quote's first words are in no text the walk sees.
        let begin = |block: usize, out: &mut Vec<Event>| {
            let quotes = within.get(&block).cloned().unwrap_or_default();
            out.push(Event::InlineHtml(CowStr::Borrowed("")));
            Some(QuoteWalk { quotes, fallback: out.len() - 1, ..QuoteWalk::default() })
        };
        match (event, boundary) {
            (Event::Start(Tag::Heading { level, id, mut classes, mut attrs }), Boundary::Start(block)) => {
                // `## In English {lang=en}` starts a section in that language, which runs
                // to the next heading of the same or a higher level.
                if language_section.is_some_and(|open| level <= open) {
                    out.push(Event::Html("</section>\n".into()));
                    language_section = None;
                }
                let language = attrs.iter().position(|(name, _)| name.as_ref() == "lang").and_then(|at| attrs.remove(at).1);
                if let Some(language) = language {
                    if language_section.is_some() {
                        out.push(Event::Html("</section>\n".into()));
                    }
                    out.push(Event::Html(format!("<section lang=\"{}\">\n", escape(&language)).into()));
                    language_section = Some(level);
                }
                let id = id.unwrap_or_else(|| heading_ids.unique(&heading_text(&events[index..])).into());
                let quoted = marked(&block);
                if quoted {
                    classes.push("quoted".into());
                }
                out.push(Event::Start(Tag::Heading { level, id: Some(id), classes, attrs }));
                if quoted {
                    walk = begin(block, &mut out);
                }
            }
            (Event::Start(tag @ (Tag::Paragraph | Tag::Item)), Boundary::Start(block)) if marked(&block) => {
                let element = if matches!(tag, Tag::Item) { "li" } else { "p" };
                out.push(Event::Html(format!("<{element} class=\"quoted\">").into()));
                walk = begin(block, &mut out);
            }
            (Event::Start(tag @ (Tag::Table(_) | Tag::CodeBlock(_) | Tag::HtmlBlock)), Boundary::Start(block)) => {
                // A table, a code block or raw HTML is marked whole: its text is not
                // Markdown's to cut.
                let wrapped = marked(&block);
                if wrapped {
                    let starting: Vec<usize> = starts.get(&block).into_iter().flatten().copied().filter(|&mark| anchored.insert(mark)).collect();
                    out.push(Event::Html(match starting.first() {
                        Some(&first) => format!("<div id=\"{}\" class=\"quoted\">", escape(&marks[first].id)).into(),
                        None => "<div class=\"quoted\">".into(),
                    }));
                    for &mark in starting.iter().skip(1) {
                        out.push(Event::InlineHtml(format!("<span id=\"{}\"></span>", escape(&marks[mark].id)).into()));
                    }
                }
                if let Tag::CodeBlock(kind) = tag {
                    let (html, consumed) = highlight(&kind, &events[index..]);
                    has_code = true;
                    index += consumed + 1; // the code and the closing event
                    counter.step(&Event::End(TagEnd::CodeBlock));
                    out.push(Event::Html(html.into()));
                    if wrapped {
                        out.push(Event::Html("</div>\n".into()));
                    }
                    push_notes(&mut out, ends.get(&block));
                } else {
                    out.push(Event::Start(tag));
                }
            }
            (Event::Start(Tag::Heading { level, id, classes, attrs }), _) => {
                let id = id.unwrap_or_else(|| heading_ids.unique(&heading_text(&events[index..])).into());
                out.push(Event::Start(Tag::Heading { level, id: Some(id), classes, attrs }));
            }
            (Event::End(end), Boundary::End(block)) => {
                if let Some(walked) = walk.take() {
                    // A quote whose first words were not walked (they are in raw HTML)
                    // is anchored at its block's start.
                    let unplaced: Vec<usize> = starts.get(&block).into_iter().flatten().copied().filter(|&mark| anchored.insert(mark)).collect();
                    let anchors: String = unplaced.iter().map(|&mark| format!("<span id=\"{}\"></span>", escape(&marks[mark].id))).collect();
                    out[walked.fallback] = Event::InlineHtml(anchors.into());
                }
                if matches!(end, TagEnd::Item) {
                    push_notes(&mut out, ends.get(&block));
                }
                match end {
                    TagEnd::Paragraph if marked(&block) => out.push(Event::Html("</p>\n".into())),
                    TagEnd::Item if marked(&block) => out.push(Event::Html("</li>\n".into())),
                    TagEnd::Table | TagEnd::HtmlBlock if marked(&block) => {
                        out.push(Event::End(end));
                        out.push(Event::Html("</div>\n".into()));
                    }
                    other => out.push(Event::End(other)),
                }
                if !matches!(end, TagEnd::Item) {
                    push_notes(&mut out, ends.get(&block));
                }
            }
            (Event::Text(text), _) if walk.is_some() => {
                let walked = walk.as_mut().expect("walking a block");
                // The passage's text was compared in NFC: its offsets are NFC's.
                let text: Cow<str> = match is_nfc_quick(text.chars()) {
                    IsNormalized::Yes => Cow::Borrowed(&text),
                    _ => Cow::Owned(text.nfc().collect()),
                };
                for (piece, covering) in walked.cut(&text) {
                    if covering.is_empty() || in_image > 0 {
                        out.push(Event::Text(piece.into()));
                        continue;
                    }
                    // Text that the parser split (at an entity, an escape) but that
                    // runs on under the same marks goes into the marks just closed.
                    match &last_marks {
                        Some((at, previous)) if *at == out.len() && *previous == covering => {
                            out.pop();
                        }
                        _ => out.push(Event::InlineHtml(open_marks(&covering, marks, &mut anchored).into())),
                    }
                    out.push(Event::Text(piece.into()));
                    out.push(Event::InlineHtml(close_marks(&covering).into()));
                    last_marks = Some((out.len(), covering));
                }
            }
            (Event::Code(code), _) if walk.is_some() => {
                let covering = walk.as_mut().expect("walking a block").whole(&code);
                if covering.is_empty() || in_image > 0 {
                    out.push(Event::Code(code));
                } else {
                    out.push(Event::InlineHtml(open_marks(&covering, marks, &mut anchored).into()));
                    out.push(Event::Code(code));
                    out.push(Event::InlineHtml(close_marks(&covering).into()));
                }
            }
            (event @ (Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::TableCell)), _) if walk.is_some() => {
                walk.as_mut().expect("walking a block").space = true;
                out.push(event);
            }
            (event, _) => {
                match &event {
                    Event::Start(Tag::Image { .. }) => in_image += 1,
                    Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
                    _ => {}
                }
                out.push(event);
            }
        }
    }
    if language_section.is_some() {
        out.push(Event::Html("</section>\n".into()));
    }
    let out = align_with_classes(out);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    // Sanitising parses the whole page's HTML: only pay for it where there is raw HTML.
    if has_raw_html && raw_html == RawHtml::Sanitise {
        html = sanitiser().clean(&html).to_string();
    }
    Html { html, has_code }
}

/// A table's column alignment as a class on its cells (`align-right`), not the
/// `style` attribute pulldown-cmark writes: the pages' Content-Security-Policy allows
/// no inline styles, so a browser would drop the alignment.
fn align_with_classes(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    if !events.iter().any(|event| matches!(event, Event::Start(Tag::Table(alignments)) if alignments.iter().any(|alignment| *alignment != Alignment::None))) {
        return events;
    }
    let mut aligned = Vec::with_capacity(events.len());
    // The alignments of the tables open (a table may sit in a table's cell as raw
    // HTML, never as Markdown, but a list item in a cell may hold one).
    let mut tables: Vec<(Vec<Alignment>, bool, usize)> = Vec::new();
    for event in events {
        match event {
            Event::Start(Tag::Table(alignments)) => {
                let none = vec![Alignment::None; alignments.len()];
                tables.push((alignments, false, 0));
                aligned.push(Event::Start(Tag::Table(none)));
            }
            Event::End(TagEnd::Table) => {
                tables.pop();
                aligned.push(event);
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                if let Some(table) = tables.last_mut() {
                    table.1 = matches!(event, Event::Start(Tag::TableHead));
                    table.2 = 0;
                }
                aligned.push(event);
            }
            Event::Start(Tag::TableCell) => {
                let Some((alignments, head, cell)) = tables.last_mut() else {
                    aligned.push(event);
                    continue;
                };
                let element = if *head { "th" } else { "td" };
                let class = match alignments.get(*cell) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                *cell += 1;
                aligned.push(Event::Html(format!("<{element}{class}>").into()));
            }
            Event::End(TagEnd::TableCell) => match tables.last() {
                Some((_, head, _)) => aligned.push(Event::Html(if *head { "</th>" } else { "</td>" }.into())),
                None => aligned.push(event),
            },
            event => aligned.push(event),
        }
    }
    aligned
}

/// Takes the danger out of what Markdown itself can say, before any HTML is made:
/// links and images to `javascript:` (or any scheme but the web's and mail's) lose
/// their link, heading attributes other than a language are dropped, and an element
/// whose content is raw text (`<script>`, `<style>` …) is shown as text: the sanitiser
/// would otherwise drop it with everything after it when it is not closed.
fn defuse(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut defused = Vec::with_capacity(events.len());
    let mut dropped_ends = Vec::new();
    // A raw HTML block comes as one event a line: defused whole, so that an element
    // opened on one line and closed on another is seen as closed.
    let mut block: Option<String> = None;
    for event in events {
        if let Some(html) = block.as_mut() {
            match event {
                Event::Html(line) => {
                    html.push_str(&line);
                    continue;
                }
                _ => defused.push(Event::Html(defuse_html(&block.take().unwrap_or_default()).into())),
            }
        }
        match event {
            Event::Start(Tag::HtmlBlock) => {
                defused.push(event);
                block = Some(String::new());
            }
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) if !is_safe_url(dest_url) => {
                dropped_ends.push(matches!(event, Event::Start(Tag::Link { .. })));
            }
            Event::End(TagEnd::Link | TagEnd::Image) if !dropped_ends.is_empty() => {
                dropped_ends.pop();
            }
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let attrs = attrs.into_iter().filter(|(name, _)| name.as_ref() == "lang").collect();
                defused.push(Event::Start(Tag::Heading { level, id, classes, attrs }));
            }
            // Shown as text, but kept out of the text a quote is found in (as the tag it
            // was): the marks of quotes after it are placed by offsets in that text.
            Event::Html(html) | Event::InlineHtml(html) if opens_raw_text_element(&html) => {
                defused.push(Event::InlineHtml(escape(&html).into()))
            }
            event => defused.push(event),
        }
    }
    defused
}

/// The schemes a published link may have: the web's, mail's and the telephone's.
pub const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The one rule for every link remiss publishes, wherever it was written (Markdown,
/// front matter, config): web and mail links and links inside the site, nothing that
/// runs code (`javascript:`, `data:`, `vbscript:` …, in any case, with spaces or
/// control characters in the scheme).
pub fn is_safe_url(url: &str) -> bool {
    // Browsers ignore control characters and spaces in a scheme (`java\tscript:`).
    let url: String = url.chars().filter(|character| !character.is_ascii_control() && *character != ' ').collect();
    let scheme_end = url.find(':');
    let path_start = url.find(['/', '?', '#']);
    match (scheme_end, path_start) {
        (Some(colon), Some(path)) if path < colon => true,
        (Some(colon), _) => SAFE_SCHEMES.iter().any(|scheme| url[..colon].eq_ignore_ascii_case(scheme)),
        (None, _) => true,
    }
}

/// Elements whose content an HTML parser reads as text up to their end tag: unclosed,
/// they take everything after them.
const RAW_TEXT: [&str; 10] =
    ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"];

fn opens_raw_text_element(html: &str) -> bool {
    let Some(rest) = html.trim_start().strip_prefix('<') else { return false };
    raw_text_element(rest).is_some()
}

/// The raw-text element a tag opens, given the text after its `<`.
fn raw_text_element(after_bracket: &str) -> Option<&'static str> {
    let name: String = after_bracket.chars().take_while(char::is_ascii_alphanumeric).collect();
    RAW_TEXT.into_iter().find(|element| name.eq_ignore_ascii_case(element))
}

/// The next place an end (`-->`, `</style` …) lies, remembered while it lies ahead.
struct NextEnd {
    end: String,
    /// `None` until looked for; then where the next one ends, or `Some(None)` for none.
    next: Option<Option<usize>>,
}

impl NextEnd {
    fn new(end: impl Into<String>) -> NextEnd {
        NextEnd { end: end.into(), next: None }
    }

    /// Just after the first end that starts at or after `from`.
    fn after(&mut self, text: &str, from: usize) -> Option<usize> {
        match self.next {
            Some(Some(end)) if end - self.end.len() >= from => Some(end),
            Some(None) => None,
            _ => {
                let next = text[from..].find(&self.end).map(|start| from + start + self.end.len());
                self.next = Some(next);
                next
            }
        }
    }
}

/// A tag longer than this is not a tag a person wrote: it is shown as text rather than
/// searched for its end (which would make a block of unclosed tags quadratic).
const LONGEST_TAG: usize = 4096;

/// Where a tag ends (just after its `>`), given the text after its `<`: a `>` inside
/// quotes does not end it.
fn tag_end(after_bracket: &str) -> Option<usize> {
    let mut quote = None;
    for (offset, character) in after_bracket.char_indices().take_while(|(offset, _)| *offset < LONGEST_TAG) {
        match (quote, character) {
            (None, '"' | '\'') => quote = Some(character),
            (Some(open), _) if open == character => quote = None,
            (None, '>') => return Some(offset + 1),
            _ => {}
        }
    }
    None
}

/// A raw HTML block with every comment, raw-text element and tag that is never closed
/// in it shown as text (its `<` escaped): the HTML parser of the sanitiser would otherwise
/// swallow the rest of the statement into it. This looks at tags only as far as an HTML
/// tokenizer does to decide the same thing; closed elements are left to the sanitiser.
fn defuse_html(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut defused = String::with_capacity(html.len());
    let (mut copied, mut at) = (0, 0);
    // Each kind of end is looked for once per stretch of text, not once per opening:
    // a block of 100,000 unclosed `<!--` stays linear.
    let mut comment_end = NextEnd::new("-->");
    let mut element_ends: Vec<NextEnd> = RAW_TEXT.iter().map(|element| NextEnd::new(format!("</{element}"))).collect();
    while let Some(found) = lower[at..].find('<') {
        let open = at + found;
        let after = &lower[open + 1..];
        at = open + 1;
        let closed = if after.starts_with("!--") {
            comment_end.after(&lower, at).map(|end| end - at)
        } else if let Some(element) = raw_text_element(after) {
            // `<plaintext>` has no end tag: everything after it is its text.
            let index = RAW_TEXT.iter().position(|name| *name == element).unwrap_or_default();
            element_ends[index].after(&lower, at).filter(|_| element != "plaintext").map(|end| end - at)
        } else if after.starts_with(|character: char| character.is_ascii_alphabetic() || matches!(character, '/' | '!' | '?')) {
            // A tag, a `<!…>` or `<?…>` never ended in the block would take the tags
            // remiss writes after it (a quoted passage's anchor) into itself.
            tag_end(after)
        } else {
            continue;
        };
        match closed {
            Some(closed) => at = open + 1 + closed,
            None => {
                defused.push_str(&html[copied..open]);
                defused.push_str("&lt;");
                copied = open + 1;
            }
        }
    }
    defused.push_str(&html[copied..]);
    defused
}

/// The allow-list: what Markdown itself produces (tables, footnotes, code), what remiss
/// adds (anchors, notes, highlighting classes), and the inline elements a statement may
/// use (`abbr`, `sup`, `sub`, `mark`).
fn sanitiser() -> &'static ammonia::Builder<'static> {
    static SANITISER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITISER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .add_tags(["abbr", "mark", "section", "figure", "figcaption", "time", "input"])
            .add_generic_attributes(["id", "class", "lang", "title", "dir", "aria-hidden", "aria-label", "data-quote"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("time", ["datetime"])
            // A mark's label is for screen readers, not for search snippets.
            .add_tag_attributes("span", ["data-pagefind-ignore"])
            // No `style`: the pages' Content-Security-Policy would not apply it (Markdown
            // tables are aligned with classes, see `align_with_classes`).
            .add_tag_attributes("ol", ["start"])
            .link_rel(None)
            .url_relative(ammonia::UrlRelative::PassThrough)
            .url_schemes(SAFE_SCHEMES.into_iter().collect());
        builder
    })
}

fn push_notes(out: &mut Vec<Event>, marks: Option<&Vec<&Mark>>) {
    for mark in marks.into_iter().flatten() {
        out.push(Event::Html(mark.note.clone().into()));
    }
}

fn heading_text(rest: &[Event]) -> String {
    let mut text = String::new();
    for event in rest {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(part) | Event::Code(part) => text.push_str(part),
            _ => {}
        }
    }
    text
}

/// Heading ids from the heading's text, made unique within the page.
#[derive(Default)]
struct HeadingIds {
    used: HashSet<String>,
}

impl HeadingIds {
    fn unique(&mut self, text: &str) -> String {
        // A heading's text may slug to an id remiss gives its own elements ("Svar X",
        // "Sök"): such a heading's id is set apart with a prefix.
        let base = match slugify(text) {
            slug if slug.is_empty() => "avsnitt".to_owned(),
            slug if is_reserved_id(&slug) => format!("avsnitt-{slug}"),
            slug => slug,
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// Highlights a code block with CSS classes (the theme's stylesheet colours them).
/// Returns the HTML and how many events of `rest` the code's text took.
fn highlight(kind: &CodeBlockKind, rest: &[Event]) -> (String, usize) {
    let mut code = String::new();
    let mut consumed = 0;
    for event in rest {
        match event {
            Event::Text(text) => code.push_str(text),
            _ => break,
        }
        consumed += 1;
    }
    let language = match kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_owned(),
        CodeBlockKind::Indented => String::new(),
    };
    let syntaxes = syntax_set();
    let syntax = (!language.is_empty()).then(|| syntaxes.find_syntax_by_token(&language)).flatten();
    let body = match syntax {
        Some(syntax) => {
            let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
                syntax,
                syntaxes,
                syntect::html::ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            let highlighted = syntect::util::LinesWithEndings::from(&code)
                .try_for_each(|line| generator.parse_html_for_line_which_includes_newline(line));
            match highlighted {
                Ok(()) => generator.finalize(),
                Err(_) => escape(&code),
            }
        }
        None => escape(&code),
    };
    let mut html = String::from("<pre class=\"code\"><code");
    if !language.is_empty() {
        let _ = write!(html, " class=\"language-{}\"", escape(&language));
    }
    let _ = writeln!(html, ">{body}</code></pre>");
    (html, consumed)
}

fn syntax_set() -> &'static syntect::parsing::SyntaxSet {
    // Loading the syntaxes takes tens of milliseconds: only sites with code pay for it.
    static SYNTAXES: OnceLock<syntect::parsing::SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(syntect::parsing::SyntaxSet::load_defaults_newlines)
}

/// The stylesheet for highlighted code, light and dark.
pub fn highlight_css() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    let style = syntect::html::ClassStyle::SpacedPrefixed { prefix: "hl-" };
    let light = syntect::html::css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], style)
        .unwrap_or_default();
    let dark = syntect::html::css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], style)
        .unwrap_or_default();
    format!("{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n")
}

pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mark on whole blocks.
    fn whole(blocks: Range<usize>, id: &str, note: &str) -> Mark {
        quote(blocks, 0, usize::MAX, id, note)
    }

    fn quote(blocks: Range<usize>, start: usize, end: usize, id: &str, note: &str) -> Mark {
        Mark { blocks, start, end, id: id.to_owned(), label: "Citerat: ".to_owned(), note: note.to_owned() }
    }

    /// The opening of a quote's first mark, as the tests' marks label it.
    fn first(id: &str) -> String {
        format!("<mark id=\"{id}\" class=\"quote\" data-quote=\"{id}\"><span class=\"visually-hidden\" data-pagefind-ignore=\"\">Citerat: </span>")
    }

    #[test]
    fn passages_are_readable_text_in_order() {
        let markdown = "## Ärendet\n\nEtt *viktigt*\nstycke.\n\n- punkt ett\n- punkt `två`\n\n| a | b |\n|---|---|\n| c | d |\n";
        assert_eq!(
            passages(markdown),
            ["Ärendet", "Ett viktigt stycke.", "punkt ett", "punkt två", "a b c d"]
        );
    }

    #[test]
    fn fold_normalises_unicode_and_whitespace() {
        // "å" written as "a" + combining ring.
        assert_eq!(fold("  a\u{30a}r \n\t ok "), "år ok");
    }

    #[test]
    fn headings_get_unique_folded_ids() {
        let html = render("## Ärendet\n\n## Ärendet\n", &[], RawHtml::Sanitise).html;
        assert!(html.contains("<h2 id=\"arendet\">Ärendet</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"arendet-1\">"), "{html}");
    }

    #[test]
    fn a_heading_with_a_language_opens_a_section_in_it() {
        let html = render("Svenska.\n\n## In English {lang=en}\n\nEnglish.\n\n### More\n\nStill English.\n\n## Tillbaka\n\nSvenska.\n", &[], RawHtml::Sanitise).html;
        assert_eq!(
            html,
            "<p>Svenska.</p>\n<section lang=\"en\">\n<h2 id=\"in-english\">In English</h2>\n<p>English.</p>\n\
             <h3 id=\"more\">More</h3>\n<p>Still English.</p>\n</section>\n<h2 id=\"tillbaka\">Tillbaka</h2>\n<p>Svenska.</p>\n"
        );
    }

    #[test]
    fn heading_ids_never_take_a_passage_anchor() {
        let marks = [whole(1..2, "svar-x", "")];
        let html = render("## Svar X\n\nCiterat.\n", &marks, RawHtml::Sanitise).html;
        assert!(html.contains("<h2 id=\"avsnitt-svar-x\">"), "{html}");
        assert!(html.contains(&format!("<p class=\"quoted\">{}Citerat.</mark></p>", first("svar-x"))), "{html}");
    }

    #[test]
    fn marked_passage_gets_anchor_class_and_note() {
        let marks = [
            whole(1..2, "svar-a", "<p class=\"note\">A</p>"),
            whole(1..2, "svar-b", "<p class=\"note\">B</p>"),
        ];
        let html = render("Först.\n\nCiterat.\n\nSist.\n", &marks, RawHtml::Sanitise).html;
        // Two quotes of the same words: nested marks, each with its anchor.
        let expected = format!(
            "<p class=\"quoted\">{}{}Citerat.</mark></mark></p>\n<p class=\"note\">A</p><p class=\"note\">B</p>\n<p>Sist.</p>",
            first("svar-a"),
            first("svar-b")
        );
        assert!(html.contains(&expected), "{html}");
    }

    #[test]
    fn note_on_a_list_item_stays_inside_it() {
        let marks = [whole(0..1, "svar-a", "<span>N</span>")];
        let html = render("- ett\n- två\n", &marks, RawHtml::Sanitise).html;
        assert!(html.contains(&format!("<li class=\"quoted\">{}ett</mark><span>N</span></li>", first("svar-a"))), "{html}");
    }

    #[test]
    fn raw_html_is_sanitised_but_harmless_markup_and_marks_stay() {
        let markdown = "Text <abbr title=\"Sveriges Kommuner och Landsting\">SKL</abbr> H<sub>2</sub>O.<script>alert(1)</script>\n\n\
            <iframe src=\"https://example.org\"></iframe>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">länk</a> [fotnot][^1]\n\n[^1]: Källa.\n";
        let marks = [whole(0..1, "svar-a", "<p class=\"passage-note\"><a href=\"/forslag/a/\">A</a></p>")];
        let html = render(markdown, &marks, RawHtml::Sanitise).html;
        for gone in ["<script", "alert(1)</script>", "<iframe", "javascript:", "onclick"] {
            assert!(!html.contains(gone), "{gone} survived: {html}");
        }
        for kept in ["<abbr title=\"Sveriges Kommuner och Landsting\"><mark class=\"quote\" data-quote=\"svar-a\">SKL</mark></abbr>", "<sub><mark class=\"quote\" data-quote=\"svar-a\">2</mark></sub>", "<mark id=\"svar-a\" class=\"quote\" data-quote=\"svar-a\">", "<a href=\"/forslag/a/\">A</a>", "class=\"footnote-definition\""] {
            assert!(html.contains(kept), "{kept} was removed: {html}");
        }
        let table = render("<table><tr><td style=\"text-align:right\">1</td></tr></table>\n", &[], RawHtml::Sanitise).html;
        assert!(!table.contains("style"), "an inline style the pages' policy blocks: {table}");
        let trusted = render("<iframe src=\"/karta.html\"></iframe>\n", &[], RawHtml::Trust).html;
        assert!(trusted.contains("<iframe"), "{trusted}");
    }

    #[test]
    fn markdown_itself_cannot_smuggle_script() {
        // Found by fuzzing (tests/fuzz/regressions/markdown): links, autolinks, images and
        // heading attributes made HTML that ran script without any raw HTML.
        for markdown in [
            "[x](javascript:alert(1))",
            "<javascript:alert(1)>",
            "![x](javascript:alert(1))",
            "[x](java\tscript:alert(1))",
            "# Rubrik {onclick=alert(1)}",
            "[x](JAVASCRIPT:alert(1))",
        ] {
            let html = render(markdown, &[], RawHtml::Sanitise).html.to_lowercase();
            // The text may stay; no link, image or handler is made of it.
            assert!(!html.contains("<a ") && !html.contains("<img") && !html.contains("onclick="), "{markdown} gave {html}");
        }
        let html = render("[ok](https://example.org) [inne](/forslag/) [post](mailto:a@b.se) [här](#x)", &[], RawHtml::Sanitise).html;
        for kept in ["https://example.org", "/forslag/", "mailto:a@b.se", "href=\"#x\""] {
            assert!(html.contains(kept), "{kept} was dropped: {html}");
        }
    }

    #[test]
    fn an_unclosed_script_or_style_loses_no_text() {
        // Found by fuzzing: the sanitiser dropped everything after an unclosed <style>.
        for element in ["<style>", "<script>", "<textarea>"] {
            let marks = [whole(1..2, "svar-a", "")];
            let html = render(&format!("Ett {element}\n\nTvå.\n"), &marks, RawHtml::Sanitise).html;
            assert!(html.contains("Två.") && html.contains("id=\"svar-a\""), "{element}: {html}");
            assert!(!html.contains(element), "{element} is markup: {html}");
        }
    }

    #[test]
    fn html_never_closed_in_its_block_is_shown_as_text() {
        // Found in the adversarial pass of issue 11: `<![CDATA[` ended at the next `>`,
        // the quoted passage's opening tag, and took its anchor.
        assert_eq!(defuse_html("<div><![CDATA[\n"), "<div>&lt;![CDATA[\n");
        assert_eq!(defuse_html("<div title=\"a>b\n"), "&lt;div title=\"a>b\n");
        assert_eq!(defuse_html("<div class=\"x\"><!-- ok --><b>fet</b></div>\n"), "<div class=\"x\"><!-- ok --><b>fet</b></div>\n");
        assert_eq!(defuse_html("<style>p {}</style>Text <script>"), "<style>p {}</style>Text &lt;script>");
        let marks = [whole(1..2, "svar-a", "")];
        let html = render("<div><![CDATA[\n\nCiterat.\n", &marks, RawHtml::Sanitise).html;
        assert!(html.contains("id=\"svar-a\""), "{html}");
    }

    #[test]
    fn a_quote_is_marked_with_the_rest_of_its_paragraph_around_it() {
        // Issue 14 §2: a deep link landed on a whole paragraph, up to seven lines.
        let text = "Nämnden ser  positivt på förslaget.\nDen vill dock ha mer tid.";
        let found = crate::load::quote::Passages::new(passages(text)).locate("positivt på förslaget. Den vill").unwrap();
        let marks = [quote(found.passages, found.start, found.end, "svar-a", "")];
        let html = render(text, &marks, RawHtml::Sanitise).html;
        assert_eq!(
            html,
            format!("<p class=\"quoted\">Nämnden ser  {}positivt på förslaget.</mark>\n<mark class=\"quote\" data-quote=\"svar-a\">Den vill</mark> dock ha mer tid.</p>\n", first("svar-a"))
        );
    }

    #[test]
    fn a_quote_across_emphasis_links_code_and_a_footnote_is_marked_per_run_of_text() {
        let text = "Före. Vi *tillstyrker* [förslaget](https://example.org)[^1] om `kod` nu. Efter.\n\n[^1]: Not.\n";
        let found = crate::load::quote::Passages::new(passages(text)).locate("Vi tillstyrker förslaget om kod nu.").unwrap();
        let marks = [quote(found.passages, found.start, found.end, "svar-a", "")];
        let html = render(text, &marks, RawHtml::Sanitise).html;
        assert!(
            html.starts_with(&format!(
                "<p class=\"quoted\">Före. {}Vi </mark><em><mark class=\"quote\" data-quote=\"svar-a\">tillstyrker</mark></em><mark class=\"quote\" data-quote=\"svar-a\"> </mark>\
                 <a href=\"https://example.org\"><mark class=\"quote\" data-quote=\"svar-a\">förslaget</mark></a><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>\
                 <mark class=\"quote\" data-quote=\"svar-a\"> om </mark><mark class=\"quote\" data-quote=\"svar-a\"><code>kod</code></mark><mark class=\"quote\" data-quote=\"svar-a\"> nu.</mark> Efter.</p>",
                first("svar-a")
            )),
            "{html}"
        );
    }

    #[test]
    fn a_quote_across_paragraphs_marks_the_end_of_one_and_the_start_of_the_next() {
        let text = "Ett. Två.\n\n- Tre. Fyra.\n";
        let found = crate::load::quote::Passages::new(passages(text)).locate("Två. Tre.").unwrap();
        let marks = [quote(found.passages, found.start, found.end, "svar-a", "<span>N</span>")];
        let html = render(text, &marks, RawHtml::Sanitise).html;
        assert_eq!(
            html,
            format!("<p class=\"quoted\">Ett. {}Två.</mark></p>\n<ul>\n<li class=\"quoted\"><mark class=\"quote\" data-quote=\"svar-a\">Tre.</mark> Fyra.<span>N</span></li>\n</ul>\n", first("svar-a"))
        );
    }

    #[test]
    fn overlapping_quotes_nest_their_marks_and_each_keeps_its_anchor() {
        let text = "Ett två tre fyra.";
        let finder = crate::load::quote::Passages::new(passages(text));
        let (a, b) = (finder.locate("Ett två tre").unwrap(), finder.locate("tre fyra.").unwrap());
        let marks = [quote(a.passages, a.start, a.end, "svar-a", ""), quote(b.passages, b.start, b.end, "svar-b", "")];
        let html = render(text, &marks, RawHtml::Sanitise).html;
        assert_eq!(
            html,
            format!("<p class=\"quoted\">{}Ett två </mark>{}{}tre</mark></mark>{} fyra.</mark></p>\n", first("svar-a"), "<mark class=\"quote\" data-quote=\"svar-a\">", first("svar-b"), "<mark class=\"quote\" data-quote=\"svar-b\">")
        );
    }

    #[test]
    fn a_quote_in_raw_html_is_anchored_at_its_block() {
        let text = "<div>Citerat i rå HTML.</div>\n\nSedan <b>text</b>.\n";
        let marks = [whole(0..1, "svar-a", ""), quote(1..2, 0, 5, "svar-b", "")];
        let html = render(text, &marks, RawHtml::Sanitise).html;
        assert!(html.contains("<div id=\"svar-a\" class=\"quoted\"><div>Citerat i rå HTML.</div>"), "{html}");
        assert!(html.contains(&format!("<p class=\"quoted\">{}Sedan</mark> <b>text</b>.</p>", first("svar-b"))), "{html}");
    }

    #[test]
    fn a_script_tag_shown_as_text_does_not_move_the_marks_after_it() {
        let text = "Före <script> mitt. Citerat här.";
        let found = crate::load::quote::Passages::new(passages(text)).locate("Citerat här.").unwrap();
        let html = render(text, &[quote(found.passages, found.start, found.end, "svar-a", "")], RawHtml::Sanitise).html;
        assert!(html.contains(&format!("{}Citerat här.</mark>", first("svar-a"))), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn a_tables_alignment_is_a_class_not_an_inline_style() {
        // The pages' Content-Security-Policy blocks inline styles: the Nu Html Checker
        // reported every aligned cell.
        let html = render("| År | Belopp | Not |\n|---:|:---:|---|\n| 2018 | 90 | a |\n", &[], RawHtml::Sanitise).html;
        assert_eq!(
            html,
            "<table><thead><tr><th class=\"align-right\">År</th><th class=\"align-center\">Belopp</th><th>Not</th></tr></thead><tbody>\n\
             <tr><td class=\"align-right\">2018</td><td class=\"align-center\">90</td><td>a</td></tr>\n</tbody></table>\n"
        );
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let rendered = render("```rust\nlet x = 1;\n```\n\nEfter.\n", &[], RawHtml::Sanitise);
        assert!(rendered.has_code);
        assert!(rendered.html.contains("<pre class=\"code\"><code class=\"language-rust\"><span class=\"hl-"), "{}", rendered.html);
        assert!(rendered.html.ends_with("<p>Efter.</p>\n"));
    }

    #[test]
    fn an_image_from_another_site_gets_a_warning() {
        let text = "+++\n+++\nEn bild: ![karta](https://example.org/karta.png) och ![logga](/logga.png).\n";
        let file = SourceFile::new("content/om.md", text);
        let problems = check(&file, 8..text.len());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].message(), "this image is on another site: the pages do not load it");
    }

}
