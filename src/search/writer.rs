//! The index in Pagefind 1.6.0's file format (its `src/index/`, `src/output/`), read by
//! the Pagefind script and WebAssembly of that same version, which the site ships:
//!
//! - `pagefind-entry.json`: the version, and per language the metadata file's hash;
//! - `pagefind.<lang>_<hash>.pf_meta`: every page's fragment hash and word count, and
//!   the word range each index chunk covers;
//! - `index/<lang>_<hash>.pf_index`: chunks of the inverted index, words in order, each
//!   with its pages and positions (weights inlined), and its spellings with diacritics;
//! - `fragment/<lang>_<hash>.pf_fragment`: a page's URL, title, text and anchors (JSON).
//!
//! Binary files are CBOR (minicbor, arrays of fields as Pagefind derives them), and
//! every file but the entry is gzip-compressed with `pagefind_dcd` before its bytes, as
//! the script expects. The format is not a public contract: docs/SEARCH.md pins the
//! version, and a test decodes this index and one Pagefind writes and compares them.
//!
//! Unlike Pagefind, every step runs in parallel, each distinct word is stemmed once, and
//! gzip runs at its default level: Pagefind's `best` made the N = 2,000 index 0.3 %
//! smaller (9.66 against 9.69 MB) at several times the cost.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use minicbor::Encode;
use rayon::prelude::*;
use serde::Serialize;
use sha1::{Digest, Sha1};

use super::records::Record;
use super::words::{self, Indexable};

/// The Pagefind version whose browser half reads this format.
pub const PAGEFIND_VERSION: &str = "1.6.0";

/// Pagefind's default: a chunk closes once it holds this many positions.
const CHUNK_SIZE: usize = 20_000;

/// What Pagefind puts before the bytes of every compressed file.
const SIGNATURE: &[u8] = b"pagefind_dcd";

#[derive(Encode)]
struct WordIndex {
    #[n(0)]
    words: Vec<PackedWord>,
}

#[derive(Encode, Clone, Debug)]
struct PackedWord {
    #[n(0)]
    word: String,
    #[n(1)]
    pages: Vec<PackedPage>,
    #[n(2)]
    additional_variants: Vec<PackedVariant>,
}

#[derive(Encode, Clone, Debug)]
struct PackedVariant {
    #[n(0)]
    form: String,
    #[n(1)]
    pages: Vec<PackedPage>,
}

#[derive(Encode, Clone, Debug)]
struct PackedPage {
    #[n(0)]
    page_number: usize,
    #[n(1)]
    locs: Vec<i32>,
    #[n(2)]
    meta_locs: Vec<i32>,
}

#[derive(Encode)]
struct MetaIndex {
    #[n(0)]
    version: String,
    #[n(1)]
    pages: Vec<MetaPage>,
    #[n(2)]
    index_chunks: Vec<MetaChunk>,
    #[n(3)]
    filters: Vec<MetaFilter>,
    #[n(4)]
    sorts: Vec<MetaSort>,
    #[n(5)]
    meta_fields: Vec<String>,
}

#[derive(Encode)]
struct MetaChunk {
    #[n(0)]
    from: String,
    #[n(1)]
    to: String,
    #[n(2)]
    hash: String,
}

#[derive(Encode)]
struct MetaPage {
    #[n(0)]
    hash: String,
    #[n(1)]
    word_count: u32,
    #[n(2)]
    group_hash: String,
}

#[derive(Encode)]
struct MetaFilter {
    #[n(0)]
    filter: String,
    #[n(1)]
    hash: String,
}

#[derive(Encode)]
struct MetaSort {
    #[n(0)]
    sort: String,
    #[n(1)]
    pages: Vec<usize>,
}

#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    content: &'a str,
    word_count: usize,
    filters: BTreeMap<String, Vec<String>>,
    meta: BTreeMap<&'static str, &'a str>,
    anchors: Vec<FragmentAnchor<'a>>,
}

#[derive(Serialize)]
struct FragmentAnchor<'a> {
    element: &'a str,
    id: &'a str,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    location: u32,
}

#[derive(Serialize)]
struct Entry<'a> {
    version: &'a str,
    languages: BTreeMap<&'a str, EntryLanguage<'a>>,
    include_characters: Vec<char>,
}

#[derive(Serialize)]
struct EntryLanguage<'a> {
    hash: &'a str,
    wasm: Option<&'a str>,
    page_count: usize,
}

/// A page's text as Pagefind reads it: blocks joined, each ended as a sentence.
struct Text {
    content: String,
    /// Where each block starts, in words.
    starts: Vec<u32>,
}

/// A position of a word on a page, with its weight.
type Located = (u32, u8);

/// A stem or a spelling, by its number in [`Words`].
type WordId = u32;

/// A word on a page: stem, spelling, whether in the title, position, weight.
type Occurrence = (WordId, WordId, bool, u32, u8);

/// Marks a posting of the stem itself, not of a spelling with diacritics.
const PLAIN: WordId = WordId::MAX;

/// One form of a run of text: its stem, its spelling with diacritics (or [`PLAIN`]),
/// and whether it is a part of a compound word.
#[derive(Clone, Copy)]
struct Form {
    stem: WordId,
    spelling: WordId,
    part: bool,
}

/// Every distinct run of text, split, folded and stemmed once; stems and spellings
/// numbered, so that a page's postings are small and sort fast.
struct Words<'a> {
    /// The forms of running text, and of a title (which has no dotted tails).
    forms: HashMap<&'a str, (Vec<Form>, usize)>,
    names: Vec<String>,
}

impl<'a> Words<'a> {
    fn new(runs: HashSet<&'a str>, language: &str) -> Words<'a> {
        let stemmed: Vec<(&str, Vec<Indexable>, usize)> = runs
            .into_par_iter()
            .map_init(
                || words::stemmer(language),
                |stemmer, raw| {
                    let mut forms = words::indexable(raw, stemmer.as_ref());
                    let in_titles = forms.len();
                    forms.extend(words::dotted_tails(raw, stemmer.as_ref(), &forms));
                    (raw, forms, in_titles)
                },
            )
            .collect();
        let mut ids: HashMap<String, WordId> = HashMap::new();
        let mut names = Vec::new();
        let mut id = |name: String| -> WordId {
            *ids.entry(name).or_insert_with_key(|name| {
                names.push(name.clone());
                WordId::try_from(names.len() - 1).unwrap_or(PLAIN - 1)
            })
        };
        let forms = stemmed
            .into_iter()
            .map(|(raw, forms, in_titles)| {
                let forms = forms
                    .into_iter()
                    .map(|form| Form { stem: id(form.stem), spelling: form.original.map_or(PLAIN, &mut id), part: form.part })
                    .collect();
                (raw, (forms, in_titles))
            })
            .collect();
        Words { forms, names }
    }

    fn name(&self, id: WordId) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

/// A page's postings: by stem, then spelling, its positions in the text and the title.
struct Page {
    postings: Vec<(WordId, WordId, PackedPage)>,
    fragment: String,
    word_count: usize,
}

/// The index files of `records`, by their paths in the index folder. `language` is a
/// code Pagefind knows (`sv`, `en`): it picks the stemmer and the WebAssembly file.
pub fn write(records: &[Record], language: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    let texts: Vec<Text> = records.par_iter().map(text).collect();

    // 1. Each distinct run of text is split, folded and stemmed once.
    let runs = records
        .par_iter()
        .zip(&texts)
        .fold(HashSet::new, |mut seen: HashSet<&str>, (record, text)| {
            seen.extend(text.content.split_whitespace());
            seen.extend(record.title.split_whitespace());
            seen
        })
        .reduce(HashSet::new, |mut larger, mut smaller| {
            if larger.len() < smaller.len() {
                std::mem::swap(&mut larger, &mut smaller);
            }
            larger.extend(smaller);
            larger
        });
    let words = Words::new(runs, language);

    // 2. Each page's postings and fragment.
    let pages: Vec<Page> = records
        .par_iter()
        .zip(&texts)
        .enumerate()
        .map(|(number, (record, text))| page(number, record, text, &words))
        .collect::<Result<_, _>>()?;

    // 3. Fragments named by their hash (the first 7 digits, more where two collide).
    let mut fragment_names: HashMap<String, String> = HashMap::new();
    let mut meta_pages = Vec::with_capacity(pages.len());
    let fragment_hashes: Vec<String> = pages.par_iter().map(|page| full_hash(page.fragment.as_bytes())).collect();
    let mut fragment_files: Vec<(String, String)> = Vec::new();
    let mut postings = Vec::with_capacity(pages.len());
    for (page, hash) in pages.into_iter().zip(&fragment_hashes) {
        let full = format!("{language}_{hash}");
        let mut length = language.len() + 8;
        let name = loop {
            let short = &full[..length.min(full.len())];
            match fragment_names.get(short) {
                None => {
                    fragment_names.insert(short.to_owned(), full.clone());
                    fragment_files.push((short.to_owned(), page.fragment));
                    break short.to_owned();
                }
                Some(other) if *other == full || length >= full.len() => break short.to_owned(),
                Some(_) => length += 1,
            }
        };
        meta_pages.push(MetaPage { hash: name, word_count: u32::try_from(page.word_count).unwrap_or(u32::MAX), group_hash: String::new() });
        postings.push(page.postings);
    }

    // 4. The inverted index, pages taken in order so that each word's list stays sorted.
    #[derive(Default)]
    struct Postings {
        pages: Vec<PackedPage>,
        spellings: Vec<(WordId, Vec<PackedPage>)>,
    }
    let mut index: Vec<Postings> = std::iter::repeat_with(Postings::default).take(words.names.len()).collect();
    for page in postings {
        for (stem, spelling, packed) in page {
            let Some(entry) = index.get_mut(stem as usize) else { continue };
            if spelling == PLAIN {
                entry.pages.push(packed);
            } else {
                match entry.spellings.iter_mut().find(|(id, _)| *id == spelling) {
                    Some((_, pages)) => pages.push(packed),
                    None => entry.spellings.push((spelling, vec![packed])),
                }
            }
        }
    }
    let mut sorted: Vec<PackedWord> = index
        .into_iter()
        .enumerate()
        .filter(|(_, entry)| !entry.pages.is_empty() || !entry.spellings.is_empty())
        .map(|(stem, entry)| PackedWord {
            word: words.name(WordId::try_from(stem).unwrap_or(PLAIN)).to_owned(),
            pages: entry.pages,
            additional_variants: {
                // In the order of their spelling: word ids depend on the order threads finish.
                let mut variants: Vec<PackedVariant> =
                    entry.spellings.into_iter().map(|(spelling, pages)| PackedVariant { form: words.name(spelling).to_owned(), pages }).collect();
                variants.sort_unstable_by(|a, b| a.form.cmp(&b.form));
                variants
            },
        })
        .collect();
    // The pages' texts are in their fragments now.
    drop(words);
    drop(texts);
    sorted.par_sort_unstable_by(|a, b| a.word.cmp(&b.word));
    let chunks = chunk(sorted);
    let mut index_chunks = chunk_ranges(&chunks);
    let encoded: Vec<(Vec<u8>, String)> = chunks
        .into_par_iter()
        .map(|mut words| {
            for word in &mut words {
                delta_pages(&mut word.pages);
                for variant in &mut word.additional_variants {
                    delta_pages(&mut variant.pages);
                }
            }
            let bytes = cbor(WordIndex { words })?;
            let hash = full_hash(&bytes);
            Ok((bytes, format!("{language}_{hash}")))
        })
        .collect::<Result<_, String>>()?;
    let mut chunk_files: Vec<(String, Vec<u8>)> = Vec::with_capacity(encoded.len());
    let mut chunk_names: HashSet<String> = HashSet::new();
    for ((bytes, full), range) in encoded.into_iter().zip(&mut index_chunks) {
        let name = short_name(&full, language, &mut chunk_names);
        range.hash = name.clone();
        chunk_files.push((name, bytes));
    }

    // 5. The filters: for each, every value with the pages that have it.
    let mut filter_map: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (number, record) in records.iter().enumerate() {
        for (filter, values) in &record.filters {
            for value in values {
                filter_map.entry(filter).or_default().entry(value).or_default().push(number);
            }
        }
    }
    let mut filters = Vec::with_capacity(filter_map.len());
    let mut filter_files: Vec<(String, Vec<u8>)> = Vec::with_capacity(filter_map.len());
    let mut filter_names: HashSet<String> = HashSet::new();
    for (filter, values) in filter_map {
        let values = values.into_iter().map(|(value, pages)| PackedValue { value: value.to_owned(), pages }).collect();
        let bytes = cbor(FilterIndex { filter: filter.to_owned(), values })?;
        let name = short_name(&format!("{language}_{}", full_hash(&bytes)), language, &mut filter_names);
        filters.push(MetaFilter { filter: filter.to_owned(), hash: name.clone() });
        filter_files.push((name, bytes));
    }

    // 6. The metadata, and the entry that names it.
    let page_count = meta_pages.len();
    let meta = cbor(MetaIndex {
        version: PAGEFIND_VERSION.to_owned(),
        pages: meta_pages,
        index_chunks,
        filters,
        sorts: Vec::new(),
        meta_fields: vec!["title".to_owned()],
    })?;
    let meta_hash = full_hash(&meta);
    let meta_name = format!("{language}_{}", &meta_hash[..(language.len() + 8).min(meta_hash.len())]);
    let entry = Entry {
        version: PAGEFIND_VERSION,
        languages: BTreeMap::from([(language, EntryLanguage { hash: &meta_name, wasm: Some(language), page_count })]),
        include_characters: Vec::new(),
    };
    let entry = serde_json::to_vec(&entry).map_err(|error| error.to_string())?;

    let mut compressed: Vec<(String, &[u8])> = Vec::with_capacity(fragment_files.len() + chunk_files.len() + 1);
    compressed.push((format!("pagefind.{meta_name}.pf_meta"), &meta));
    compressed.extend(fragment_files.iter().map(|(name, fragment)| (format!("fragment/{name}.pf_fragment"), fragment.as_bytes())));
    compressed.extend(chunk_files.iter().map(|(name, bytes)| (format!("index/{name}.pf_index"), bytes.as_slice())));
    compressed.extend(filter_files.iter().map(|(name, bytes)| (format!("filter/{name}.pf_filter"), bytes.as_slice())));
    let mut files: Vec<(String, Vec<u8>)> =
        compressed.into_par_iter().map(|(path, bytes)| gzip(bytes).map(|bytes| (path, bytes))).collect::<Result<_, _>>()?;
    files.push(("pagefind-entry.json".to_owned(), entry));
    Ok(files)
}

/// A file's name: `<language>_` and the first seven digits of its hash, or more where
/// another file of its kind already has that name (as Pagefind names them).
fn short_name(full: &str, language: &str, taken: &mut HashSet<String>) -> String {
    let mut length = language.len() + 8;
    while taken.contains(&full[..length.min(full.len())]) && length < full.len() {
        length += 1;
    }
    let name = full[..length.min(full.len())].to_owned();
    taken.insert(name.clone());
    name
}

/// A filter's index: every value with the pages that have it.
#[derive(Encode)]
struct FilterIndex {
    #[n(0)]
    filter: String,
    #[n(1)]
    values: Vec<PackedValue>,
}

#[derive(Encode)]
struct PackedValue {
    #[n(0)]
    value: String,
    #[n(1)]
    pages: Vec<usize>,
}

/// A record's blocks as one text, as Pagefind joins an HTML page's: every block ends as
/// a sentence, and words are whatever whitespace separates.
fn text(record: &Record) -> Text {
    let mut content = String::new();
    let mut starts = Vec::with_capacity(record.blocks.len());
    let mut words = 0u32;
    for block in &record.blocks {
        starts.push(words);
        let mut sentence = block.text.clone();
        crate::markdown::end_sentence(&mut sentence);
        for word in sentence.split_whitespace() {
            // Pagefind drops zero-width spaces, and a word that is nothing else.
            let word: std::borrow::Cow<str> = if word.contains('\u{200B}') { word.replace('\u{200B}', "").into() } else { word.into() };
            if word.is_empty() {
                continue;
            }
            if !content.is_empty() {
                content.push(' ');
            }
            content.push_str(&word);
            words = words.saturating_add(1);
        }
    }
    Text { content, starts }
}

fn page(number: usize, record: &Record, text: &Text, words: &Words) -> Result<Page, String> {
    let mut located: Vec<Occurrence> = Vec::new();
    let mut block = 0;
    let mut weight = record.blocks.first().map_or(24, |block| block.weight);
    let mut count = 0u32;
    for (position, raw) in text.content.split_whitespace().enumerate() {
        let position = u32::try_from(position).unwrap_or(u32::MAX);
        while text.starts.get(block + 1).is_some_and(|&start| start <= position) {
            block += 1;
            weight = record.blocks.get(block).map_or(24, |block| block.weight);
        }
        count = position.saturating_add(1);
        let Some((forms, _)) = words.forms.get(raw) else { continue };
        let parts = forms.iter().filter(|form| form.part).count();
        let part_weight = if parts > 0 && weight > 0 { (weight / u8::try_from(parts).unwrap_or(u8::MAX)).max(1) } else { 0 };
        for form in forms {
            located.push((form.stem, form.spelling, false, position, if form.part { part_weight } else { weight }));
        }
    }
    // The title is searched as metadata: Pagefind's field 0, `title`.
    for (position, raw) in record.title.split_whitespace().enumerate() {
        let position = u32::try_from(position).unwrap_or(u32::MAX);
        let Some((forms, in_titles)) = words.forms.get(raw) else { continue };
        for form in forms.iter().take(*in_titles) {
            located.push((form.stem, form.spelling, true, position, 0));
        }
    }
    located.sort_unstable_by_key(|&(stem, spelling, ..)| (stem, spelling));
    let postings = located
        .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
        .map(|group| {
            let (in_text, in_title): (Vec<&Occurrence>, Vec<_>) = group.iter().partition(|located| !located.2);
            let text: Vec<Located> = in_text.iter().map(|located| (located.3, located.4)).collect();
            let title: Vec<u32> = in_title.iter().map(|located| located.3).collect();
            (group[0].0, group[0].1, PackedPage { page_number: number, locs: pack_locations(&text), meta_locs: pack_meta(&title) })
        })
        .collect();
    let word_count = count.max(1) as usize;
    let anchors = record
        .blocks
        .iter()
        .zip(&text.starts)
        .filter_map(|(block, &location)| {
            let anchor = block.anchor.as_ref()?;
            let text = block.text.split_whitespace().collect::<Vec<_>>().join(" ");
            Some(FragmentAnchor { element: anchor.element, id: &anchor.id, text, title: anchor.title.as_deref(), location })
        })
        .collect();
    let fragment = Fragment {
        url: &record.url,
        content: &text.content,
        word_count,
        filters: record.filters.clone(),
        meta: BTreeMap::from([("title", record.title.as_str())]),
        anchors,
    };
    let fragment = serde_json::to_string(&fragment).map_err(|error| error.to_string())?;
    Ok(Page { postings, fragment, word_count })
}

/// Positions in Pagefind's packing: sorted by weight (the usual one first), then by
/// position; a change of weight is a negative marker followed by an absolute position,
/// other positions are deltas.
fn pack_locations(located: &[Located]) -> Vec<i32> {
    // Pagefind compares with 25 where running text weighs 24: kept, for the same bytes.
    const USUAL: u8 = 25;
    let mut located = located.to_vec();
    located.sort_unstable_by_key(|&(position, weight)| (if weight == USUAL { 0 } else { weight }, position));
    let mut packed = Vec::with_capacity(located.len() + 2);
    let mut current = USUAL;
    let mut last = 0u32;
    for (position, weight) in located {
        if weight != current {
            packed.push(-i32::from(weight) - 1);
            packed.push(i32::try_from(position).unwrap_or(i32::MAX));
            current = weight;
        } else {
            packed.push(i32::try_from(position - last).unwrap_or(i32::MAX));
        }
        last = position;
    }
    packed
}

/// Metadata positions: a field marker (`-1` for field 0, the title), then deltas.
fn pack_meta(positions: &[u32]) -> Vec<i32> {
    if positions.is_empty() {
        return Vec::new();
    }
    let mut positions = positions.to_vec();
    positions.sort_unstable();
    let mut packed = Vec::with_capacity(positions.len() + 1);
    packed.push(-1);
    let mut last = 0;
    for position in positions {
        packed.push(i32::try_from(position - last).unwrap_or(i32::MAX));
        last = position;
    }
    packed
}

/// Page numbers as deltas from the previous page's.
fn delta_pages(pages: &mut [PackedPage]) {
    let mut last = 0;
    for page in pages {
        let number = page.page_number;
        page.page_number = number - last;
        last = number;
    }
}

/// Words (sorted) cut into chunks of about [`CHUNK_SIZE`] positions, as Pagefind cuts them.
fn chunk(words: Vec<PackedWord>) -> Vec<Vec<PackedWord>> {
    let mut chunks = Vec::new();
    let mut current = Vec::new();
    let mut size = 0;
    for word in words {
        size += word
            .pages
            .iter()
            .chain(word.additional_variants.iter().flat_map(|variant| &variant.pages))
            .map(|page| page.locs.len() + page.meta_locs.len() + 1)
            .sum::<usize>()
            + word.additional_variants.len();
        current.push(word);
        if size >= CHUNK_SIZE {
            chunks.push(std::mem::take(&mut current));
            size = 0;
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    chunks
}

/// The word range of each chunk, cut to the shortest prefixes that tell neighbours apart.
fn chunk_ranges(chunks: &[Vec<PackedWord>]) -> Vec<MetaChunk> {
    let mut ranges: Vec<MetaChunk> = chunks
        .iter()
        .map(|chunk| MetaChunk {
            from: chunk.first().map(|word| word.word.clone()).unwrap_or_default(),
            to: chunk.last().map(|word| word.word.clone()).unwrap_or_default(),
            hash: String::new(),
        })
        .collect();
    for at in 1..ranges.len() {
        let (before, after) = ranges.split_at_mut(at);
        let (previous, next) = (&mut before[at - 1], &mut after[0]);
        let common = next.from.chars().zip(previous.to.chars()).take_while(|(a, b)| a == b).count();
        let to: String = previous.to.chars().take(common + 1).collect();
        // Only where it keeps the range the right way round.
        if to >= previous.from {
            previous.to = to;
        }
        next.from = next.from.chars().take(common + 1).collect();
    }
    ranges
}

fn cbor<T: Encode<()>>(value: T) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    minicbor::encode(value, &mut bytes).map_err(|error| error.to_string())?;
    Ok(bytes)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::default());
    encoder.write_all(SIGNATURE).and_then(|()| encoder.write_all(bytes)).map_err(|error| error.to_string())?;
    encoder.finish().map_err(|error| error.to_string())
}

/// SHA-1 in Pagefind's spelling: each byte in hex without a leading zero.
fn full_hash(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut hash = String::with_capacity(40);
    for byte in Sha1::digest(bytes) {
        let _ = write!(hash, "{byte:x}");
    }
    hash
}
