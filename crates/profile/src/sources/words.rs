//! Finding words in the Key Sources' lower-cased text.

/// Byte offset of `needle` in `haystack` where it starts a word.
pub(super) fn find_word(haystack: &str, needle: &str) -> Option<usize> {
    haystack.match_indices(needle).map(|(i, _)| i).find(|&i| {
        !haystack[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    })
}
