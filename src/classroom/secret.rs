//! The room's secrets: the join code, the facilitator's key and the students' tokens. They are
//! not part of any result, so they come from the standard library's per-process random hasher
//! keys (seeded by the operating system), never from the model's streams.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// Letters of a join code: no 0/O, 1/I to misread on a projector.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Letters in a join code.
const CODE_LEN: usize = 6;

/// A source of unguessable strings.
pub struct Tokens {
    keys: [RandomState; 2],
    counter: u64,
}

impl Default for Tokens {
    fn default() -> Tokens {
        Tokens::new()
    }
}

impl Tokens {
    /// A fresh source (new hasher keys from the operating system).
    pub fn new() -> Tokens {
        Tokens {
            keys: [RandomState::new(), RandomState::new()],
            counter: 0,
        }
    }

    fn word(&mut self, k: usize) -> u64 {
        self.counter += 1;
        let mut h = self.keys[k].build_hasher();
        h.write_u64(self.counter);
        h.finish()
    }

    /// 128 unguessable bits as 32 hex digits.
    pub fn token(&mut self) -> String {
        format!("{:016x}{:016x}", self.word(0), self.word(1))
    }

    /// A join code: six letters or digits, easy to read aloud.
    pub fn code(&mut self) -> String {
        let mut w = self.word(0);
        (0..CODE_LEN)
            .map(|_| {
                let c = CODE_ALPHABET[(w % CODE_ALPHABET.len() as u64) as usize];
                w /= CODE_ALPHABET.len() as u64;
                c as char
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_differ_and_codes_are_readable() {
        let mut t = Tokens::new();
        let a = t.token();
        let b = t.token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        let code = t.code();
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.bytes().all(|c| CODE_ALPHABET.contains(&c)), "{code}");
    }
}
