//! Counted words ("1 case", "2 cases"; "1 caso", "2 casi"): a text that holds a count has one
//! key per plural category, `x.one` and `x.other`, and the count picks one by the language's
//! rule. Both languages the portal speaks have the same two categories for whole numbers.

use super::{Key, Locale};

/// The CLDR plural categories English and Italian use for whole numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PluralCategory {
    One,
    Other,
}

/// The keys of one counted text: `x.one` and `x.other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plural {
    pub one: Key,
    pub other: Key,
}

impl Locale {
    /// The category of `n` (CLDR: "one" is exactly 1 in both English and Italian; 0 is "other",
    /// "0 cases", "0 casi").
    pub fn plural_category(self, n: u64) -> PluralCategory {
        match self {
            Locale::En | Locale::It if n == 1 => PluralCategory::One,
            Locale::En | Locale::It => PluralCategory::Other,
        }
    }

    /// The form of `forms` that reads right with `n`, placeholders unfilled.
    pub fn plural(self, forms: Plural, n: u64) -> &'static str {
        match self.plural_category(n) {
            PluralCategory::One => self.text(forms.one),
            PluralCategory::Other => self.text(forms.other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHARACTERS: Plural = Plural { one: Key::FieldTooLongOne, other: Key::FieldTooLongOther };

    #[test]
    fn one_is_exactly_one_in_both_languages() {
        for locale in Locale::ALL {
            assert_eq!(locale.plural_category(1), PluralCategory::One, "{locale:?}");
            for n in [0, 2, 11, 21, 101, 1_000_000] {
                assert_eq!(locale.plural_category(n), PluralCategory::Other, "{locale:?} {n}");
            }
        }
    }

    #[test]
    fn counted_texts_agree_with_their_count() {
        assert_eq!(Locale::En.plural(CHARACTERS, 1), "Use at most {max} character.");
        assert_eq!(Locale::En.plural(CHARACTERS, 200), "Use at most {max} characters.");
        assert_eq!(Locale::It.plural(CHARACTERS, 1), "Usa al massimo {max} carattere.");
        assert_eq!(Locale::It.plural(CHARACTERS, 0), "Usa al massimo {max} caratteri.");
    }

    /// From `.one`: a key may end in `.other` for another reason (`topic.other`).
    #[test]
    fn every_counted_text_has_both_forms() {
        let names: Vec<&str> = Key::ALL.iter().map(|k| k.name()).collect();
        for name in &names {
            if let Some(stem) = name.strip_suffix(".one") {
                assert!(names.contains(&format!("{stem}.other").as_str()), "{stem}.other is missing");
            }
        }
    }
}
