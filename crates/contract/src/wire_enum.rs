/// Declares an enum that travels as a lower-case string, with an `Unknown` catch-all so an
/// answer from a newer API still decodes, plus `as_str`, `parse` and `ALL` (the known values).
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant,)+
            #[serde(other, rename = "unknown")]
            Unknown,
        }

        impl $name {
            /// Every known value, in the order people see them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Unknown => "unknown",
                }
            }

            /// The value for a wire string; `Unknown` for anything not known.
            pub fn parse(value: &str) -> Self {
                match value {
                    $($wire => $name::$variant,)+
                    _ => $name::Unknown,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
