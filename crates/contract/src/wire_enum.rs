/// Declares an enum that travels as a lower-case string, with an `Unknown` catch-all so an
/// answer from a newer API still decodes, plus `as_str`, `parse` and `ALL` (the known values).
///
/// Its OpenAPI schema is written here from the same wire strings instead of derived: utoipa's
/// derive does not see a `#[serde(rename = $wire)]` whose literal came through a macro and
/// documented the Rust names (`"Critical"`), which no real answer carries. `unknown` is not
/// documented: the API never sends it and refuses it in requests.
macro_rules! wire_enum {
    ($(#[doc = $doc:literal])* $name:ident { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let lines: &[&str] = &[$($doc),*];
                let description = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join("\n");
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description((!description.is_empty()).then_some(description))
                    .enum_values(Some([$($wire),+]))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}
