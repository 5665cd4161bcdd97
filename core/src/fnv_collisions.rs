//! Not API (hidden): member names that all collide under the JSON parser's
//! 32-bit FNV-1a name hash (`json.rs`), for its adversarial tests, the json
//! fuzz target, the `adversarial` benchmark and `examples/parse_cost.rs`:
//! one table, checked by `json.rs`'s `colliding_names_collide` test.

/// Pairs of 5-byte blocks that leave 32-bit FNV-1a in the same state from
/// its offset basis, chained (found by a birthday search): one block from
/// each pair gives 2^8 distinct names with one hash, 0x09bf205f.
pub const BLOCK_PAIRS: [[&str; 2]; 8] = [
    ["oMPKz", "2IEwv"],
    ["jlLOg", "JJH8T"],
    ["Z4TtN", "MNg1S"],
    ["DV7II", "3Hjuu"],
    ["uTE1q", "nHBiQ"],
    ["QU6Pt", "2kV7T"],
    ["PxSdf", "j1Uyr"],
    ["fTJ3T", "4qcGT"],
];

/// Bytes of one colliding name.
pub const NAME_LEN: usize = 40;

/// Colliding name `i` (bits 0..8 of `i` pick the block of each pair; ASCII).
pub fn name(i: usize) -> [u8; NAME_LEN] {
    let mut out = [0u8; NAME_LEN];
    for ((chunk, pair), b) in out.chunks_exact_mut(5).zip(&BLOCK_PAIRS).zip(0usize..) {
        let block = if (i >> b) & 1 == 0 { pair[0] } else { pair[1] };
        for (d, s) in chunk.iter_mut().zip(block.as_bytes()) {
            *d = *s;
        }
    }
    out
}
