//! DOCX and ODT: both are zip files of XML. Each part is read into a small tree
//! (quick-xml), and one walk turns the tree into blocks: the two formats differ only in
//! the names of their elements and in where a paragraph's style says it is a heading,
//! a list item or italic.

use std::collections::HashMap;
use std::io::Read;

use quick_xml::events::Event;

use super::{Block, Document, ImportError, escape_inline};

/// An XML element, its attributes and children by local name (`w:p` → `p`,
/// `text:outline-level` → `outline-level`).
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
    fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|node| match node {
            Node::Element(element) => Some(element),
            Node::Text(_) => None,
        })
    }
    fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|element| element.name == name)
    }
    /// Every element below, depth first.
    fn descendants<'a>(&'a self, found: &mut Vec<&'a Element>) {
        for element in self.elements() {
            found.push(element);
            element.descendants(found);
        }
    }
}

fn local(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    name.rsplit(':').next().unwrap_or_default().to_owned()
}

fn parse_xml(text: &str) -> Result<Element, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack = vec![Element::default()];
    let open = |start: &quick_xml::events::BytesStart<'_>| -> Result<Element, String> {
        let mut attributes = Vec::new();
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|error| error.to_string())?;
            let value = attribute.unescape_value().map_err(|error| error.to_string())?.into_owned();
            attributes.push((local(attribute.key.as_ref()), value));
        }
        Ok(Element { name: local(start.name().as_ref()), attributes, children: Vec::new() })
    };
    let push_text = |stack: &mut Vec<Element>, text: String| {
        if let Some(parent) = stack.last_mut() {
            match parent.children.last_mut() {
                Some(Node::Text(previous)) => previous.push_str(&text),
                _ => parent.children.push(Node::Text(text)),
            }
        }
    };
    loop {
        match reader.read_event().map_err(|error| format!("at byte {}: {error}", reader.buffer_position()))? {
            Event::Start(start) => stack.push(open(&start)?),
            Event::Empty(start) => {
                let element = open(&start)?;
                if let Some(parent) = stack.last_mut() {
                    parent.children.push(Node::Element(element));
                }
            }
            Event::End(_) => {
                let element = stack.pop().ok_or("an end tag without a start")?;
                stack.last_mut().ok_or("an end tag without a start")?.children.push(Node::Element(element));
            }
            Event::Text(text) => push_text(&mut stack, text.decode().map_err(|error| error.to_string())?.into_owned()),
            Event::CData(text) => push_text(&mut stack, String::from_utf8_lossy(&text).into_owned()),
            Event::GeneralRef(reference) => {
                let character = match reference.resolve_char_ref().map_err(|error| error.to_string())? {
                    Some(character) => character,
                    None => match &*reference {
                        b"amp" => '&',
                        b"lt" => '<',
                        b"gt" => '>',
                        b"quot" => '"',
                        b"apos" => '\'',
                        _ => continue,
                    },
                };
                push_text(&mut stack, character.to_string());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.len() != 1 {
        return Err("the XML ends before its elements are closed".to_owned());
    }
    Ok(stack.pop().unwrap_or_default())
}

/// The text parts of a zip file.
struct Package {
    parts: HashMap<String, String>,
}

impl Package {
    fn open(bytes: &[u8], wanted: &[&str]) -> Result<Package, String> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|error| error.to_string())?;
        let mut parts = HashMap::new();
        for name in wanted {
            let Ok(mut file) = archive.by_name(name) else { continue };
            // A part larger than this is not a statement; refusing it keeps a zip bomb
            // from filling memory.
            let mut text = String::new();
            (&mut file).take(64 << 20).read_to_string(&mut text).map_err(|error| format!("{name}: {error}"))?;
            parts.insert((*name).to_owned(), text);
        }
        Ok(Package { parts })
    }
    fn xml(&self, name: &str) -> Result<Option<Element>, String> {
        self.parts.get(name).map(|text| parse_xml(text).map_err(|error| format!("{name}: {error}"))).transpose()
    }
}

/// A piece of a paragraph's text and how it is set.
#[derive(Debug, Clone, Default)]
struct Run {
    text: String,
    italic: bool,
    bold: bool,
    /// Markdown already (a footnote reference): not escaped.
    markdown: bool,
}

/// A paragraph's runs as Markdown: escaped text, `*…*` and `**…**` around what is set
/// so, with the spaces kept outside the markers (Markdown needs them there).
fn inline(runs: &[Run]) -> String {
    let mut merged: Vec<Run> = Vec::new();
    // A soft hyphen only marks where a word may be broken: the draft has no line ends.
    let runs: Vec<Run> = runs.iter().map(|run| Run { text: run.text.replace('\u{ad}', ""), ..run.clone() }).collect();
    for run in &runs {
        match merged.last_mut() {
            Some(last) if !last.markdown && !run.markdown && last.italic == run.italic && last.bold == run.bold => last.text.push_str(&run.text),
            _ => merged.push(run.clone()),
        }
    }
    let mut out = String::new();
    for run in merged {
        if run.markdown {
            out.push_str(&run.text);
            continue;
        }
        let text = escape_inline(&run.text);
        let marker = match (run.italic, run.bold) {
            (true, true) => "***",
            (false, true) => "**",
            (true, false) => "*",
            (false, false) => "",
        };
        let core = text.trim();
        if marker.is_empty() || core.is_empty() {
            out.push_str(&text);
            continue;
        }
        let leading = &text[..text.len() - text.trim_start().len()];
        let trailing = &text[text.trim_end().len()..];
        out.push_str(leading);
        out.push_str(marker);
        out.push_str(core);
        out.push_str(marker);
        out.push_str(trailing);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a paragraph is, from its style.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Paragraph,
    Heading(u8),
    Item { ordered: bool },
}

/// Gathers blocks, numbering ordered list items and footnotes as they come.
#[derive(Default)]
struct Builder {
    document: Document,
    next_number: u32,
}

impl Builder {
    fn push(&mut self, kind: Kind, text: String) {
        if text.trim().is_empty() {
            return;
        }
        let block = match kind {
            Kind::Heading(level) => Block::Heading(level.clamp(1, 3), text),
            Kind::Item { ordered: true } => {
                self.next_number += 1;
                Block::Item(Some(self.next_number), text)
            }
            Kind::Item { ordered: false } => Block::Item(None, text),
            Kind::Paragraph => Block::Paragraph(text),
        };
        if !matches!(kind, Kind::Item { ordered: true }) {
            self.next_number = 0;
        }
        self.document.blocks.push(block);
    }
    /// A footnote's text → its `[^n]` reference.
    fn footnote(&mut self, text: String) -> Run {
        self.document.footnotes.push(text);
        Run { text: format!("[^{}]", self.document.footnotes.len()), markdown: true, ..Run::default() }
    }
}

/// The headings the lowest level found becomes `##`: documents that start at
/// "Heading 2" should not start at `###`.
fn lift_headings(document: &mut Document) {
    let top = document.blocks.iter().filter_map(|block| if let Block::Heading(level, _) = block { Some(*level) } else { None }).min();
    if let Some(top) = top.filter(|top| *top > 1) {
        for block in &mut document.blocks {
            if let Block::Heading(level, _) = block {
                *level -= top - 1;
            }
        }
    }
}

// ---- DOCX -----------------------------------------------------------------------

pub fn read_docx(bytes: &[u8], path: &str) -> Result<Document, ImportError> {
    let broken = |detail: String| ImportError::BrokenOffice { path: path.to_owned(), format: "DOCX", detail };
    let package = Package::open(bytes, &["word/document.xml", "word/styles.xml", "word/numbering.xml", "word/footnotes.xml"]).map_err(broken)?;
    let document = package.xml("word/document.xml").map_err(broken)?.ok_or_else(|| broken("it has no word/document.xml".to_owned()))?;
    let style_part = package.xml("word/styles.xml").map_err(broken)?;
    let styles = style_part.as_ref().map(docx_heading_styles).unwrap_or_default();
    let character = style_part.as_ref().map(docx_character_styles).unwrap_or_default();
    let ordered = package.xml("word/numbering.xml").map_err(broken)?.map(|numbering| docx_ordered_lists(&numbering)).unwrap_or_default();
    let footnotes = package.xml("word/footnotes.xml").map_err(broken)?.map(|footnotes| docx_footnotes(&footnotes, &character)).unwrap_or_default();
    let mut walk = Docx { styles, character, ordered, footnotes, builder: Builder::default() };
    let body = document.child("document").and_then(|root| root.child("body")).ok_or_else(|| broken("it has no document body".to_owned()))?;
    walk.blocks(body);
    let mut document = walk.builder.document;
    lift_headings(&mut document);
    Ok(document)
}

struct Docx {
    /// Style id → heading level.
    styles: HashMap<String, u8>,
    /// Character style id → (italic, bold), where the style sets them.
    character: HashMap<String, (Option<bool>, Option<bool>)>,
    /// Numbering id → whether its first level counts (1, 2, 3) rather than bullets.
    ordered: HashMap<String, bool>,
    /// Footnote id → its paragraphs' text.
    footnotes: HashMap<String, String>,
    builder: Builder,
}

fn heading_level_named(name: &str) -> Option<u8> {
    let name = name.to_lowercase().replace(' ', "");
    if name == "title" || name == "rubrik" {
        return Some(1);
    }
    for prefix in ["heading", "rubrik"] {
        if let Some(level) = name.strip_prefix(prefix).and_then(|level| level.parse::<u8>().ok()) {
            return Some(level.clamp(1, 9));
        }
    }
    None
}

fn docx_heading_styles(styles: &Element) -> HashMap<String, u8> {
    let mut levels = HashMap::new();
    let root = styles.child("styles").unwrap_or(styles);
    for style in root.elements().filter(|element| element.name == "style") {
        let Some(id) = style.attribute("styleId") else { continue };
        let named = style.child("name").and_then(|name| name.attribute("val")).and_then(heading_level_named);
        let outline = style
            .child("pPr")
            .and_then(|properties| properties.child("outlineLvl"))
            .and_then(|level| level.attribute("val"))
            .and_then(|level| level.parse::<u8>().ok())
            .filter(|level| *level < 9)
            .map(|level| level + 1);
        if let Some(level) = named.or(outline).or_else(|| heading_level_named(id)) {
            levels.insert(id.to_owned(), level);
        }
    }
    levels
}

fn docx_character_styles(styles: &Element) -> HashMap<String, (Option<bool>, Option<bool>)> {
    let root = styles.child("styles").unwrap_or(styles);
    root.elements()
        .filter(|element| element.name == "style")
        .filter_map(|style| {
            let properties = style.child("rPr")?;
            Some((style.attribute("styleId")?.to_owned(), (switched_on(properties.child("i")), switched_on(properties.child("b")))))
        })
        .collect()
}

fn docx_ordered_lists(numbering: &Element) -> HashMap<String, bool> {
    let root = numbering.child("numbering").unwrap_or(numbering);
    let abstract_ordered: HashMap<&str, bool> = root
        .elements()
        .filter(|element| element.name == "abstractNum")
        .filter_map(|definition| {
            let id = definition.attribute("abstractNumId")?;
            let first = definition.elements().find(|level| level.name == "lvl" && level.attribute("ilvl") == Some("0"))?;
            let format = first.child("numFmt").and_then(|format| format.attribute("val")).unwrap_or("bullet");
            Some((id, !matches!(format, "bullet" | "none")))
        })
        .collect();
    root.elements()
        .filter(|element| element.name == "num")
        .filter_map(|number| {
            let id = number.attribute("numId")?;
            let definition = number.child("abstractNumId")?.attribute("val")?;
            Some((id.to_owned(), abstract_ordered.get(definition).copied().unwrap_or(false)))
        })
        .collect()
}

fn docx_footnotes(footnotes: &Element, character: &HashMap<String, (Option<bool>, Option<bool>)>) -> HashMap<String, String> {
    let root = footnotes.child("footnotes").unwrap_or(footnotes);
    let mut texts = HashMap::new();
    for footnote in root.elements().filter(|element| element.name == "footnote") {
        if footnote.attribute("type").is_some_and(|kind| kind != "normal") {
            continue;
        }
        let Some(id) = footnote.attribute("id") else { continue };
        let mut runs = Vec::new();
        let mut ignored = Builder::default();
        for paragraph in footnote.elements().filter(|element| element.name == "p") {
            docx_runs(paragraph, false, false, &mut runs, &Context { footnotes: &HashMap::new(), character }, &mut ignored);
            runs.push(Run { text: " ".to_owned(), ..Run::default() });
        }
        texts.insert(id.to_owned(), inline(&runs));
    }
    texts
}

/// Whether a `w:b` or `w:i` property is switched on (`w:val="0"` switches it off).
fn switched_on(property: Option<&Element>) -> Option<bool> {
    property.map(|property| !matches!(property.attribute("val"), Some("0" | "false" | "none")))
}

/// What the runs of a paragraph are read with.
struct Context<'a> {
    footnotes: &'a HashMap<String, String>,
    character: &'a HashMap<String, (Option<bool>, Option<bool>)>,
}

fn docx_runs(element: &Element, italic: bool, bold: bool, runs: &mut Vec<Run>, context: &Context<'_>, builder: &mut Builder) {
    let footnotes = context.footnotes;
    for child in element.elements() {
        match child.name.as_str() {
            "r" => {
                let properties = child.child("rPr");
                let (style_italic, style_bold) = properties
                    .and_then(|properties| properties.child("rStyle"))
                    .and_then(|style| style.attribute("val"))
                    .and_then(|style| context.character.get(style))
                    .copied()
                    .unwrap_or((None, None));
                let run_bold = properties.and_then(|properties| switched_on(properties.child("b"))).or(style_bold).unwrap_or(bold);
                let run_italic = properties.and_then(|properties| switched_on(properties.child("i"))).or(style_italic).unwrap_or(italic);
                for part in child.elements() {
                    let text = match part.name.as_str() {
                        "t" => part.children.iter().map(|node| if let Node::Text(text) = node { text.as_str() } else { "" }).collect::<String>(),
                        "tab" | "br" | "cr" => " ".to_owned(),
                        "noBreakHyphen" => "-".to_owned(),
                        "footnoteReference" => {
                            let text = part.attribute("id").and_then(|id| footnotes.get(id)).cloned().unwrap_or_default();
                            runs.push(builder.footnote(text));
                            continue;
                        }
                        _ => continue,
                    };
                    runs.push(Run { text, italic: run_italic, bold: run_bold, markdown: false });
                }
            }
            "hyperlink" | "ins" | "smartTag" | "fldSimple" | "sdt" | "sdtContent" => docx_runs(child, italic, bold, runs, context, builder),
            _ => {}
        }
    }
}

impl Docx {
    fn blocks(&mut self, body: &Element) {
        for element in body.elements() {
            match element.name.as_str() {
                "p" => {
                    let (kind, text) = self.paragraph(element);
                    self.builder.push(kind, text);
                }
                "tbl" => {
                    let rows: Vec<Vec<String>> = element
                        .elements()
                        .filter(|row| row.name == "tr")
                        .map(|row| row.elements().filter(|cell| cell.name == "tc").map(|cell| self.cell(cell)).collect())
                        .collect();
                    if !rows.is_empty() {
                        self.builder.next_number = 0;
                        self.builder.document.blocks.push(Block::Table(rows));
                    }
                }
                "sdt" | "sdtContent" => self.blocks(element),
                _ => {}
            }
        }
    }

    fn cell(&mut self, cell: &Element) -> String {
        let mut found = Vec::new();
        cell.descendants(&mut found);
        let paragraphs: Vec<&Element> = found.into_iter().filter(|element| element.name == "p").collect();
        paragraphs.into_iter().map(|paragraph| self.paragraph(paragraph).1).filter(|text| !text.is_empty()).collect::<Vec<_>>().join(" ")
    }

    fn paragraph(&mut self, paragraph: &Element) -> (Kind, String) {
        let properties = paragraph.child("pPr");
        let style = properties.and_then(|properties| properties.child("pStyle")).and_then(|style| style.attribute("val"));
        let outline = properties
            .and_then(|properties| properties.child("outlineLvl"))
            .and_then(|level| level.attribute("val"))
            .and_then(|level| level.parse::<u8>().ok())
            .filter(|level| *level < 9)
            .map(|level| level + 1);
        let numbering = properties.and_then(|properties| properties.child("numPr")).and_then(|numbering| numbering.child("numId")).and_then(|id| id.attribute("val"));
        let kind = match (style.and_then(|style| self.styles.get(style)).copied().or(outline), numbering) {
            (Some(level), _) => Kind::Heading(level),
            (None, Some(id)) if id != "0" => Kind::Item { ordered: self.ordered.get(id).copied().unwrap_or(false) },
            _ => Kind::Paragraph,
        };
        let mut runs = Vec::new();
        let context = Context { footnotes: &self.footnotes, character: &self.character };
        docx_runs(paragraph, false, false, &mut runs, &context, &mut self.builder);
        (kind, inline(&runs))
    }
}

// ---- ODT ------------------------------------------------------------------------

pub fn read_odt(bytes: &[u8], path: &str) -> Result<Document, ImportError> {
    let broken = |detail: String| ImportError::BrokenOffice { path: path.to_owned(), format: "ODT", detail };
    let package = Package::open(bytes, &["content.xml", "styles.xml"]).map_err(broken)?;
    let content = package.xml("content.xml").map_err(broken)?.ok_or_else(|| broken("it has no content.xml".to_owned()))?;
    let mut styles = OdtStyles::default();
    if let Some(common) = package.xml("styles.xml").map_err(broken)? {
        styles.read(&common);
    }
    styles.read(&content);
    let mut found = Vec::new();
    content.descendants(&mut found);
    let text = found.into_iter().find(|element| element.name == "text" && element.child("p").or(element.child("h")).or(element.child("list")).or(element.child("table")).or(element.child("section")).is_some());
    let mut walk = Odt { styles, builder: Builder::default() };
    if let Some(text) = text {
        walk.blocks(text, None);
    }
    let mut document = walk.builder.document;
    lift_headings(&mut document);
    Ok(document)
}

#[derive(Default, Clone)]
struct OdtStyle {
    parent: Option<String>,
    italic: Option<bool>,
    bold: Option<bool>,
    outline: Option<u8>,
}

#[derive(Default)]
struct OdtStyles {
    styles: HashMap<String, OdtStyle>,
    /// List style name → whether it numbers (1, 2, 3) rather than bullets.
    lists: HashMap<String, bool>,
}

impl OdtStyles {
    fn read(&mut self, root: &Element) {
        let mut found = Vec::new();
        root.descendants(&mut found);
        for element in found {
            let Some(name) = element.attribute("name") else { continue };
            match element.name.as_str() {
                "style" => {
                    let properties = element.child("text-properties");
                    let italic = properties.and_then(|properties| properties.attribute("font-style")).map(|style| style == "italic" || style == "oblique");
                    let bold = properties.and_then(|properties| properties.attribute("font-weight")).map(|weight| weight == "bold" || weight.parse::<u16>().is_ok_and(|weight| weight >= 600));
                    let outline = element.attribute("default-outline-level").and_then(|level| level.parse().ok());
                    self.styles.insert(name.to_owned(), OdtStyle { parent: element.attribute("parent-style-name").map(str::to_owned), italic, bold, outline });
                }
                "list-style" => {
                    let numbered = element.elements().next().is_some_and(|level| level.name == "list-level-style-number");
                    self.lists.insert(name.to_owned(), numbered);
                }
                _ => {}
            }
        }
    }

    /// A property of a style or, where it does not set it, of the styles it inherits.
    fn inherited<T>(&self, name: Option<&str>, property: impl Fn(&OdtStyle) -> Option<T>) -> Option<T> {
        let mut name = name;
        for _ in 0..20 {
            let style = self.styles.get(name?)?;
            if let Some(value) = property(style) {
                return Some(value);
            }
            name = style.parent.as_deref();
        }
        None
    }
}

struct Odt {
    styles: OdtStyles,
    builder: Builder,
}

impl Odt {
    /// `list`: the enclosing list's style name, when inside one.
    fn blocks(&mut self, parent: &Element, list: Option<&str>) {
        for element in parent.elements() {
            match element.name.as_str() {
                "h" => {
                    let level = element.attribute("outline-level").and_then(|level| level.parse().ok()).unwrap_or(1);
                    let text = self.paragraph_text(element);
                    self.builder.push(Kind::Heading(level), text);
                }
                "p" => {
                    let style = element.attribute("style-name");
                    let kind = match (list, self.styles.inherited(style, |style| style.outline)) {
                        (Some(list), _) => Kind::Item { ordered: self.styles.lists.get(list).copied().unwrap_or(false) },
                        (None, Some(level)) => Kind::Heading(level),
                        (None, None) => Kind::Paragraph,
                    };
                    let text = self.paragraph_text(element);
                    self.builder.push(kind, text);
                }
                "list" => {
                    let style = element.attribute("style-name").or(list);
                    // An unnamed list's style is unknown: a bullet list is the safer guess.
                    self.blocks(element, Some(style.unwrap_or("")));
                }
                "list-item" | "list-header" | "section" | "index-body" => self.blocks(element, list),
                "table" => {
                    let mut rows = Vec::new();
                    self.table_rows(element, &mut rows);
                    if !rows.is_empty() {
                        self.builder.next_number = 0;
                        self.builder.document.blocks.push(Block::Table(rows));
                    }
                }
                _ => {}
            }
        }
    }

    fn table_rows(&mut self, element: &Element, rows: &mut Vec<Vec<String>>) {
        for child in element.elements() {
            match child.name.as_str() {
                "table-row" => {
                    let cells = child
                        .elements()
                        .filter(|cell| cell.name == "table-cell")
                        .map(|cell| {
                            let mut found = Vec::new();
                            cell.descendants(&mut found);
                            let paragraphs: Vec<&Element> = found.into_iter().filter(|element| element.name == "p" || element.name == "h").collect();
                            paragraphs.into_iter().map(|paragraph| self.paragraph_text(paragraph)).filter(|text| !text.is_empty()).collect::<Vec<_>>().join(" ")
                        })
                        .collect();
                    rows.push(cells);
                }
                "table-header-rows" | "table-rows" | "table-row-group" => self.table_rows(child, rows),
                _ => {}
            }
        }
    }

    fn paragraph_text(&mut self, paragraph: &Element) -> String {
        let style = paragraph.attribute("style-name");
        let italic = self.styles.inherited(style, |style| style.italic).unwrap_or(false);
        let bold = self.styles.inherited(style, |style| style.bold).unwrap_or(false);
        // A heading is bold by its style: `**` around it would only be noise.
        let bold = bold && paragraph.name != "h";
        let mut runs = Vec::new();
        self.runs(paragraph, italic, bold, &mut runs);
        inline(&runs)
    }

    fn runs(&mut self, element: &Element, italic: bool, bold: bool, runs: &mut Vec<Run>) {
        for node in &element.children {
            let child = match node {
                Node::Text(text) => {
                    runs.push(Run { text: text.clone(), italic, bold, markdown: false });
                    continue;
                }
                Node::Element(child) => child,
            };
            match child.name.as_str() {
                "span" | "a" => {
                    let style = child.attribute("style-name");
                    let italic = self.styles.inherited(style, |style| style.italic).unwrap_or(italic);
                    let bold = self.styles.inherited(style, |style| style.bold).unwrap_or(bold);
                    self.runs(child, italic, bold, runs);
                }
                "s" => {
                    let count = child.attribute("c").and_then(|count| count.parse().ok()).unwrap_or(1usize).min(10);
                    runs.push(Run { text: " ".repeat(count), italic, bold, markdown: false });
                }
                "tab" | "line-break" => runs.push(Run { text: " ".to_owned(), italic, bold, markdown: false }),
                "note" => {
                    let mut note_runs = Vec::new();
                    if let Some(body) = child.child("note-body") {
                        for paragraph in body.elements() {
                            self.runs(paragraph, false, false, &mut note_runs);
                            note_runs.push(Run { text: " ".to_owned(), ..Run::default() });
                        }
                    }
                    let text = inline(&note_runs);
                    runs.push(self.builder.footnote(text));
                }
                "annotation" | "note-citation" | "tracked-changes" | "bookmark" | "bookmark-start" | "bookmark-end" | "soft-page-break" => {}
                _ => self.runs(child, italic, bold, runs),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_become_markdown_with_spaces_outside_the_markers() {
        let run = |text: &str, italic, bold| Run { text: text.to_owned(), italic, bold, markdown: false };
        let runs = [run("betänkandet ", false, false), run("Med tillit ", true, false), run("växer", true, false), run(" och ", false, false), run("2 * 3", false, true)];
        assert_eq!(inline(&runs), "betänkandet *Med tillit växer* och **2 \\* 3**");
    }

    #[test]
    fn xml_entities_and_character_references_are_text() {
        let element = parse_xml("<w:t xmlns:w=\"x\">A &amp; B &#228;r &lt;C&gt;</w:t>").unwrap();
        let text = element.child("t").unwrap();
        assert!(matches!(&text.children[..], [Node::Text(text)] if text == "A & B är <C>"));
    }

    #[test]
    fn a_broken_package_is_an_error_that_names_the_file() {
        let error = read_docx(b"not a zip", "svar.docx").unwrap_err();
        assert!(error.to_string().starts_with("svar.docx: this is not a readable DOCX document ("), "{error}");
    }
}
