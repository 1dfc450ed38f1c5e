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

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
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
/// than [`MAX_DEPTH`], and ids that the generator owns (see [`is_reserved_id`]).
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

/// Marks a quoted passage: an anchor on its first block and a note after its last.
#[derive(Debug, Clone)]
pub struct Mark {
    pub blocks: Range<usize>,
    pub id: String,
    /// HTML placed after the passage (inside it, for a list item).
    pub note: String,
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
    let mut starts: BTreeMap<usize, Vec<&Mark>> = BTreeMap::new();
    let mut ends: BTreeMap<usize, Vec<&Mark>> = BTreeMap::new();
    let mut marked: HashSet<usize> = HashSet::new();
    for mark in marks {
        starts.entry(mark.blocks.start).or_default().push(mark);
        ends.entry(mark.blocks.end.saturating_sub(1)).or_default().push(mark);
        marked.extend(mark.blocks.clone());
    }

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
    let mut index = 0;
    while index < events.len() {
        let event = events[index].clone();
        index += 1;
        let boundary = counter.step(&event);
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
                let anchor = starts.get(&block).map(|marks| CowStr::from(marks[0].id.clone()));
                let id = anchor.or(id).unwrap_or_else(|| heading_ids.unique(&heading_text(&events[index..])).into());
                if marked.contains(&block) {
                    classes.push("quoted".into());
                }
                out.push(Event::Start(Tag::Heading { level, id: Some(id), classes, attrs }));
                push_extra_anchors(&mut out, starts.get(&block));
            }
            (Event::Start(tag @ (Tag::Paragraph | Tag::Item)), Boundary::Start(block)) if marked.contains(&block) => {
                let element = if matches!(tag, Tag::Item) { "li" } else { "p" };
                out.push(Event::Html(open_tag(element, starts.get(&block)).into()));
                push_extra_anchors(&mut out, starts.get(&block));
            }
            (Event::Start(tag @ (Tag::Table(_) | Tag::CodeBlock(_) | Tag::HtmlBlock)), Boundary::Start(block)) => {
                let wrapped = marked.contains(&block);
                if wrapped {
                    out.push(Event::Html(open_tag("div", starts.get(&block)).into()));
                    push_extra_anchors(&mut out, starts.get(&block));
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
                if matches!(end, TagEnd::Item) {
                    push_notes(&mut out, ends.get(&block));
                }
                match end {
                    TagEnd::Paragraph if marked.contains(&block) => out.push(Event::Html("</p>\n".into())),
                    TagEnd::Item if marked.contains(&block) => out.push(Event::Html("</li>\n".into())),
                    TagEnd::Table | TagEnd::HtmlBlock if marked.contains(&block) => {
                        out.push(Event::End(end));
                        out.push(Event::Html("</div>\n".into()));
                    }
                    other => out.push(Event::End(other)),
                }
                if !matches!(end, TagEnd::Item) {
                    push_notes(&mut out, ends.get(&block));
                }
            }
            (event, _) => out.push(event),
        }
    }
    if language_section.is_some() {
        out.push(Event::Html("</section>\n".into()));
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    // Sanitising parses the whole page's HTML: only pay for it where there is raw HTML.
    if has_raw_html && raw_html == RawHtml::Sanitise {
        html = sanitiser().clean(&html).to_string();
    }
    Html { html, has_code }
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
            Event::Html(html) | Event::InlineHtml(html) if opens_raw_text_element(&html) => defused.push(Event::Text(html)),
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
            .add_generic_attributes(["id", "class", "lang", "title", "dir", "aria-hidden", "aria-label"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .add_tag_attributes("time", ["datetime"])
            .add_tag_attributes("td", ["style"])
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("ol", ["start"])
            .link_rel(None)
            .url_relative(ammonia::UrlRelative::PassThrough)
            .url_schemes(SAFE_SCHEMES.into_iter().collect())
            .filter_style_properties(["text-align"].into_iter().collect());
        builder
    })
}

fn open_tag(element: &str, marks: Option<&Vec<&Mark>>) -> String {
    match marks {
        Some(marks) => format!("<{element} id=\"{}\" class=\"quoted\">", escape(&marks[0].id)),
        None => format!("<{element} class=\"quoted\">"),
    }
}

/// A passage can hold several quotes: the first anchor is the element's id, the others
/// are empty spans at its start, so that every deep link lands on the passage.
fn push_extra_anchors(out: &mut Vec<Event>, marks: Option<&Vec<&Mark>>) {
    for mark in marks.into_iter().flatten().skip(1) {
        out.push(Event::InlineHtml(format!("<span id=\"{}\"></span>", escape(&mark.id)).into()));
    }
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
        let marks = [Mark { blocks: 1..2, id: "svar-x".into(), note: String::new() }];
        let html = render("## Svar X\n\nCiterat.\n", &marks, RawHtml::Sanitise).html;
        assert!(html.contains("<h2 id=\"avsnitt-svar-x\">"), "{html}");
        assert!(html.contains("<p id=\"svar-x\" class=\"quoted\">"), "{html}");
    }

    #[test]
    fn marked_passage_gets_anchor_class_and_note() {
        let marks = [
            Mark { blocks: 1..2, id: "svar-a".into(), note: "<p class=\"note\">A</p>".into() },
            Mark { blocks: 1..2, id: "svar-b".into(), note: "<p class=\"note\">B</p>".into() },
        ];
        let html = render("Först.\n\nCiterat.\n\nSist.\n", &marks, RawHtml::Sanitise).html;
        assert!(
            html.contains("<p id=\"svar-a\" class=\"quoted\"><span id=\"svar-b\"></span>Citerat.</p>\n<p class=\"note\">A</p><p class=\"note\">B</p>\n<p>Sist.</p>"),
            "{html}"
        );
    }

    #[test]
    fn note_on_a_list_item_stays_inside_it() {
        let marks = [Mark { blocks: 0..1, id: "svar-a".into(), note: "<span>N</span>".into() }];
        let html = render("- ett\n- två\n", &marks, RawHtml::Sanitise).html;
        assert!(html.contains("<li id=\"svar-a\" class=\"quoted\">ett<span>N</span></li>"), "{html}");
    }

    #[test]
    fn raw_html_is_sanitised_but_harmless_markup_and_marks_stay() {
        let markdown = "Text <abbr title=\"Sveriges Kommuner och Landsting\">SKL</abbr> H<sub>2</sub>O.<script>alert(1)</script>\n\n\
            <iframe src=\"https://example.org\"></iframe>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">länk</a> [fotnot][^1]\n\n[^1]: Källa.\n";
        let marks = [Mark { blocks: 0..1, id: "svar-a".into(), note: "<p class=\"passage-note\"><a href=\"/forslag/a/\">A</a></p>".into() }];
        let html = render(markdown, &marks, RawHtml::Sanitise).html;
        for gone in ["<script", "alert(1)</script>", "<iframe", "javascript:", "onclick"] {
            assert!(!html.contains(gone), "{gone} survived: {html}");
        }
        for kept in ["<abbr title=\"Sveriges Kommuner och Landsting\">SKL</abbr>", "<sub>2</sub>", "id=\"svar-a\" class=\"quoted\"", "<a href=\"/forslag/a/\">A</a>", "class=\"footnote-definition\""] {
            assert!(html.contains(kept), "{kept} was removed: {html}");
        }
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
            let marks = [Mark { blocks: 1..2, id: "svar-a".into(), note: String::new() }];
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
        let marks = [Mark { blocks: 1..2, id: "svar-a".into(), note: String::new() }];
        let html = render("<div><![CDATA[\n\nCiterat.\n", &marks, RawHtml::Sanitise).html;
        assert!(html.contains("id=\"svar-a\""), "{html}");
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let rendered = render("```rust\nlet x = 1;\n```\n\nEfter.\n", &[], RawHtml::Sanitise);
        assert!(rendered.has_code);
        assert!(rendered.html.contains("<pre class=\"code\"><code class=\"language-rust\"><span class=\"hl-"), "{}", rendered.html);
        assert!(rendered.html.ends_with("<p>Efter.</p>\n"));
    }
}
