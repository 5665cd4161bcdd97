//! Helpers shared by the unit tests of several modules.

extern crate std;
use std::vec::Vec;

/// Calls `check` on each document of `corpus`, then on `rounds - 1`
/// mutations of it (one to three bytes from `alphabet` replaced, removed or
/// inserted). The xorshift generator starts from `seed`, so every run sees
/// the same documents.
pub(crate) fn for_each_mutation(
    seed: u32,
    corpus: &[&[u8]],
    alphabet: &[u8],
    rounds: usize,
    mut check: impl FnMut(&[u8]),
) {
    let mut x = seed;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x
    };
    for doc in corpus {
        for round in 0..rounds {
            let mut doc: Vec<u8> = doc.to_vec();
            for _ in 0..(if round == 0 { 0 } else { 1 + rnd() % 3 }) {
                let at = rnd() as usize % (doc.len() + 1);
                let c = alphabet[rnd() as usize % alphabet.len()];
                match rnd() % 3 {
                    0 if at < doc.len() => doc[at] = c,
                    1 if at < doc.len() => {
                        doc.remove(at);
                    }
                    _ => doc.insert(at, c),
                }
            }
            check(&doc);
        }
    }
}
