//! [`VecMap`]: a map kept as a vector sorted by key, for the few maps the engine keeps (the
//! cache's questions, the trace's, the page's shared answers, a pasted zone's names).
//!
//! Not `HashMap` or `BTreeMap`: the browser module carried hashbrown's table code (resize,
//! rehash, probing) for every key and value type, SipHash, and the B-tree's node code, about
//! 15 KB of code for maps of a few hundred entries (docs/size.md, step 7b). Finding a key is a
//! binary search; inserting a new one moves the entries after it, which at these sizes costs
//! less than hashing did. A map built from many entries at once (a pasted zone of up to 1 MiB)
//! is built from [`sorted_positions`], one sort, not entry by entry. Iteration is in key order, as with
//! `BTreeMap`.

use std::borrow::Borrow;

/// A map from `K` to `V`, in key order. Each key is there at most once.
#[derive(Clone, Debug)]
pub struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap { entries: Vec::new() }
    }
}

impl<K: Ord, V> VecMap<K, V> {
    pub const fn new() -> Self {
        VecMap { entries: Vec::new() }
    }

    /// A map of `entries` as they are: they must be in key order with each key once (else a
    /// lookup may miss a key; nothing worse).
    pub fn from_sorted(entries: Vec<(K, V)>) -> Self {
        VecMap { entries }
    }

    /// `Ok(index)` of `key`, or `Err(index)` where it would go.
    fn find<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let index = self.find(key).ok()?;
        self.entries.get(index).map(|(_, v)| v)
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.find(key).is_ok()
    }

    /// Sets the value at `key` (replacing any value there).
    pub fn insert(&mut self, key: K, value: V) {
        match self.find(&key) {
            Ok(index) => {
                if let Some(entry) = self.entries.get_mut(index) {
                    entry.1 = value;
                }
            }
            Err(index) => self.entries.insert(index, (key, value)),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Keeps the entries for which `keep` is true. (The page's shared answers use it.)
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

/// The positions of `keys` in key order; equal keys keep their order. O(n log n).
pub fn sorted_positions(keys: &[&str]) -> Vec<usize> {
    sort_positions(keys.len(), &|a, b| keys[a] <= keys[b])
}

/// The positions `0..n` sorted by `le` (`le(a, b)`: the item at `a` may come before the one at
/// `b`); equal items keep their order. O(n log n).
///
/// The one sort of the browser module: a bottom-up merge sort over positions, not generic, so
/// a few hundred bytes of code in all, where each use of the standard library's sorts is
/// several kilobytes (docs/size.md, steps 7b and 7c).
pub fn sort_positions(n: usize, le: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut scratch = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = n.min(start + width);
            let end = n.min(start + 2 * width);
            let (mut left, mut right) = (start, mid);
            for slot in scratch.iter_mut().take(end).skip(start) {
                // Take from the left run on ties, so equal items keep their order.
                let take_left = right >= end || (left < mid && le(order[left], order[right]));
                if take_left {
                    *slot = order[left];
                    left += 1;
                } else {
                    *slot = order[right];
                    right += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut order, &mut scratch);
        width *= 2;
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_keys_sorted_and_unique() {
        let mut map = VecMap::new();
        for (k, v) in [("b", 1), ("a", 2), ("c", 3), ("a", 4)] {
            map.insert(k.to_string(), v);
        }
        assert_eq!(map.len(), 3);
        assert_eq!(map.get("a"), Some(&4));
        assert_eq!(map.get("d"), None);
        assert!(map.contains_key("c"));
        let keys: Vec<&str> = map.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        map.insert("0".to_string(), 0);
        assert_eq!(map.get("0"), Some(&0));
        map.retain(|k, _| k != "a");
        let keys: Vec<&str> = map.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["0", "b", "c"]);
    }

    #[test]
    fn sorted_positions_is_a_stable_sort() {
        assert!(sorted_positions(&[]).is_empty());
        // A pseudo-random sequence with many repeated keys, against the standard sort.
        let mut seed = 12345u32;
        let owned: Vec<String> = (0..2000)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                format!("k{}", (seed >> 16) % 97)
            })
            .collect();
        let keys: Vec<&str> = owned.iter().map(String::as_str).collect();
        let mut expected: Vec<usize> = (0..keys.len()).collect();
        expected.sort_by_key(|&i| keys[i]);
        assert_eq!(sorted_positions(&keys), expected);
        let numbers = [5, 1, 4, 1, 5, 9, 2, 6];
        let order = sort_positions(numbers.len(), &|a, b| numbers[a] <= numbers[b]);
        assert_eq!(order, [1, 3, 6, 2, 0, 4, 7, 5]);
    }
}
