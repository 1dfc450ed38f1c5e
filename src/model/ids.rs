//! Typed indices into the site's lists. A position names its proposal and its statement
//! by index; typed, the index of one list cannot be used in another
//! (`site.proposals[position.statement]` does not compile). A smaller rustc `IndexVec`.

use std::marker::PhantomData;
use std::ops::{Deref, Index, IndexMut, Range};

/// An index into one kind of list.
pub trait Ix: Copy {
    fn new(index: usize) -> Self;
    fn index(self) -> usize;
}

macro_rules! ix {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(usize);

        impl Ix for $name {
            fn new(index: usize) -> $name {
                $name(index)
            }
            fn index(self) -> usize {
                self.0
            }
        }
    )*};
}

ix! {
    /// Into [`super::Site::areas`].
    AreaIx,
    /// Into [`super::Site::proposals`].
    ProposalIx,
    /// Into [`super::Site::statements`].
    StatementIx,
    /// Into [`super::Site::positions`].
    PositionIx,
    /// Into [`super::Site::area_positions`].
    AreaPositionIx,
}

/// A list indexed by its own kind of index. It reads as a slice (iterating, counting);
/// [`List::enumerated`] gives each item with its typed index.
#[derive(Debug)]
pub struct List<I, T> {
    items: Vec<T>,
    ix: PhantomData<fn(I)>,
}

impl<I: Ix, T> List<I, T> {
    /// Each item with its index.
    pub fn enumerated(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + ExactSizeIterator {
        self.items.iter().enumerate().map(|(index, item)| (I::new(index), item))
    }

    pub fn ids(&self) -> impl DoubleEndedIterator<Item = I> + ExactSizeIterator + use<I, T> {
        (0..self.items.len()).map(I::new)
    }

    /// A run of the list.
    pub fn run(&self, range: Range<I>) -> &[T] {
        &self.items[range.start.index()..range.end.index()]
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.items.iter_mut()
    }
}

/// The indices of a run of a list.
pub fn run<I: Ix>(range: &Range<I>) -> impl DoubleEndedIterator<Item = I> + ExactSizeIterator + use<I> {
    (range.start.index()..range.end.index()).map(I::new)
}

impl<I, T> From<Vec<T>> for List<I, T> {
    fn from(items: Vec<T>) -> List<I, T> {
        List { items, ix: PhantomData }
    }
}

impl<I, T> Default for List<I, T> {
    fn default() -> List<I, T> {
        Vec::new().into()
    }
}

impl<I, T> Deref for List<I, T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<I: Ix, T> Index<I> for List<I, T> {
    type Output = T;
    fn index(&self, ix: I) -> &T {
        &self.items[ix.index()]
    }
}

impl<I: Ix, T> IndexMut<I> for List<I, T> {
    fn index_mut(&mut self, ix: I) -> &mut T {
        &mut self.items[ix.index()]
    }
}

impl<'a, I, T> IntoIterator for &'a List<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> std::slice::Iter<'a, T> {
        self.items.iter()
    }
}
