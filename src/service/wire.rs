//! The daemon's protocol: what crosses the Unix socket between `trucban serve` and a console.
//!
//! A message is one JSON value crossing as frames of at most 1 MiB ([`frames`]: a length
//! is refused before anything is allocated). A client sends [`Call`]s — a
//! request ID and one [`Request`], which has one variant per [`DeskApi`] method with its
//! arguments; the daemon answers each with a [`Message::Reply`] carrying the same ID, and
//! between replies pushes [`Message::Pushed`] (records changed by another officer, or "reload
//! everything" when some were dropped for a slow link).
//!
//! The list of requests is written once, in [`crate::for_each_desk_method!`]
//! (`service/requests.rs`): it generates the request enum, the daemon's dispatch, the
//! client's [`DeskApi`] impl ([`super::RemoteDesk`]), the officer's session
//! ([`super::session::SessionDesk`]) and the README's table of who may call what.
//!
//! Nothing here panics on any input: [`decode_request`] and [`read_message`] return errors.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::RecordId;
use crate::i18n::Said;

use super::{DeskApi, Problem, ServiceError};

pub mod closed;
pub mod frames;

pub use closed::Closed;
pub use frames::{
    FrameError, MAX_FRAME, MAX_REPLY, MAX_REQUEST, encode, encode_within, frames, read_message,
    write_message,
};

/// The protocol's version, sent by the daemon first; a client that finds another refuses to
/// talk rather than misread. 2: messages in frames of at most 1 MiB, paged export. 3: every
/// error carries its code and both texts ([`Failure`]).
pub const PROTOCOL: u32 = 3;

/// The type a request holds for an argument: its own, or the owned form of a reference.
#[doc(hidden)]
#[macro_export]
macro_rules! wire_owned {
    ($ty:ty) => {
        $ty
    };
    ($ty:ty, $owned:ty) => {
        $owned
    };
}

/// An argument from the request to the method: by value, or by reference.
#[doc(hidden)]
#[macro_export]
macro_rules! wire_pass {
    ($arg:ident) => {
        $arg
    };
    ($arg:ident, $owned:ty) => {
        &$arg
    };
}

/// An argument from the method into the request: as is, or owned.
#[doc(hidden)]
#[macro_export]
macro_rules! wire_take {
    ($arg:ident) => {
        $arg
    };
    ($arg:ident, $owned:ty) => {
        ::std::borrow::ToOwned::to_owned($arg)
    };
}

/// A result into JSON, through its wire type if it has one.
#[doc(hidden)]
#[macro_export]
macro_rules! wire_result_out {
    ($value:expr) => {
        ::serde_json::to_value($value)
    };
    ($value:expr, $wire:ty) => {
        ::serde_json::to_value(<$wire>::from($value))
    };
}

/// A result from JSON, through its wire type if it has one.
#[doc(hidden)]
#[macro_export]
macro_rules! wire_result_in {
    ($value:expr, $ret:ty) => {
        ::serde_json::from_value::<$ret>($value)
    };
    ($value:expr, $ret:ty, $wire:ty) => {
        ::serde_json::from_value::<$wire>($value).map(<$ret>::from)
    };
}

macro_rules! define_requests {
    ($(
        $variant:ident fn $name:ident ( $( $arg:ident : $ty:ty $([$owned:ty])? ),* $(,)? )
            -> $ret:ty $(as $wire:ty)? { $($meta:tt)* }
    )*) => {
        /// One [`DeskApi`] call with its arguments.
        #[derive(Clone, Debug, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Request {
            $( $variant { $( $arg: $crate::wire_owned!($ty $(, $owned)?) ),* }, )*
        }

        impl Request {
            /// Every method that crosses the socket, by name.
            pub const METHODS: &'static [&'static str] = &[$( stringify!($name) ),*];

            /// The method's name, for logs and audit.
            pub fn method(&self) -> &'static str {
                match self {
                    $( Request::$variant { .. } => stringify!($name), )*
                }
            }
        }

        /// Serves one request on `desk`: the result as JSON, or the error as it crosses.
        pub fn dispatch(desk: &dyn DeskApi, request: Request) -> Result<Value, WireError> {
            match request {
                $( Request::$variant { $( $arg ),* } => {
                    let result = desk.$name($( $crate::wire_pass!($arg $(, $owned)?) ),*)?;
                    $crate::wire_result_out!(result $(, $wire)?)
                        .map_err(|e| WireError::Protocol(format!("cannot encode the reply: {e}")))
                } )*
            }
        }
    };
}

crate::for_each_desk_method!(define_requests);

macro_rules! define_boxed {
    ($(
        $variant:ident fn $name:ident ( $( $arg:ident : $ty:ty $([$owned:ty])? ),* $(,)? )
            -> $ret:ty $(as $wire:ty)? { $($meta:tt)* }
    )*) => {
        /// A boxed desk is a desk: the command line chooses at run time between the store
        /// itself and the daemon.
        impl<T: DeskApi + ?Sized> DeskApi for Box<T> {
            $(
                fn $name(&self, $( $arg: $ty ),*) -> super::Result<$ret> {
                    (**self).$name($( $arg ),*)
                }
            )*

            fn warm_up(&self) {
                (**self).warm_up()
            }

            fn pushed(&self) -> Option<std::sync::mpsc::Receiver<Pushed>> {
                (**self).pushed()
            }
        }
    };
}

crate::for_each_desk_method!(define_boxed);

/// A request with the ID its reply will carry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Call {
    pub id: u64,
    pub request: Request,
}

/// What the daemon sends.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Message {
    /// First, on every connection: the protocol version.
    Hello {
        protocol: u32,
    },
    Reply {
        id: u64,
        result: Result<Value, Failure>,
    },
    Pushed(Pushed),
    /// The daemon refused the connection (unknown user…) or is stopping; it closes next.
    Bye(Failure),
}

/// An error as it crosses the socket: a stable code and the sentence in both languages,
/// which any client can show as they are, and the error's kind and data, from which this
/// crate's client rebuilds the same [`ServiceError`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    pub code: String,
    pub vi: String,
    pub en: String,
    pub error: WireError,
}

impl From<WireError> for Failure {
    fn from(error: WireError) -> Failure {
        let service = ServiceError::from(error.clone());
        let said = service.said();
        Failure {
            code: service.code(),
            vi: said.vi,
            en: said.en,
            error,
        }
    }
}

pub use crate::domain::pushed::Pushed;

/// A [`ServiceError`] as it crosses the socket: its kind and data, so that the client
/// rebuilds the same error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum WireError {
    /// A store error on the daemon's side: its code and its sentence in both languages.
    Store {
        code: String,
        said: Said,
    },
    Import(Vec<Problem>),
    NotFound(RecordId),
    Invalid(Said),
    RosterRefused(Vec<crate::domain::roster::RosterProblem>),
    SearchNotReady,
    Refused(Said),
    Forbidden(crate::domain::access::Denial),
    Locked(String),
    Unlock(crate::domain::access::UnlockRefused),
    UnknownUser(String),
    TooManyLogons(String),
    Rule(crate::domain::rules::Refusal),
    /// A frame that is not a request, or a reply that is not what was asked.
    Protocol(String),
    /// A message longer than the reader takes ([`MAX_REQUEST`], [`MAX_REPLY`]).
    TooLarge {
        len: u64,
        max: u64,
    },
    /// The daemon closed the connection on its own (a bound on what one client may hold).
    Closed(Closed),
    Unwritable(RecordId),
}

impl From<ServiceError> for WireError {
    fn from(e: ServiceError) -> WireError {
        match e {
            ServiceError::Store(e) => WireError::Store {
                code: e.code().to_string(),
                said: e.said(),
            },
            ServiceError::Remote { code, said } => WireError::Store { code, said },
            ServiceError::Backup(e) => WireError::Store {
                code: e.code().to_string(),
                said: e.said(),
            },
            ServiceError::Import(p) => WireError::Import(p),
            ServiceError::NotFound(id) => WireError::NotFound(id),
            ServiceError::Invalid(m) => WireError::Invalid(m),
            ServiceError::RosterRefused(p) => WireError::RosterRefused(p),
            ServiceError::SearchNotReady => WireError::SearchNotReady,
            ServiceError::Refused(m) => WireError::Refused(m),
            ServiceError::Forbidden(m) => WireError::Forbidden(m),
            ServiceError::Locked => WireError::Locked(ServiceError::Locked.to_string()),
            ServiceError::Unlock(r) => WireError::Unlock(r),
            ServiceError::UnknownUser(m) => WireError::UnknownUser(m),
            ServiceError::TooManyLogons(u) => WireError::TooManyLogons(u),
            ServiceError::Rule(r) => WireError::Rule(r),
            ServiceError::Daemon(m) => WireError::Protocol(m.en),
            ServiceError::Closed(c) => WireError::Closed(c),
            ServiceError::Unwritable(id) => WireError::Unwritable(id),
        }
    }
}

impl From<WireError> for ServiceError {
    fn from(e: WireError) -> ServiceError {
        match e {
            WireError::Store { code, said } => ServiceError::Remote { code, said },
            WireError::Import(p) => ServiceError::Import(p),
            WireError::NotFound(id) => ServiceError::NotFound(id),
            WireError::Invalid(m) => ServiceError::Invalid(m),
            WireError::RosterRefused(p) => ServiceError::RosterRefused(p),
            WireError::SearchNotReady => ServiceError::SearchNotReady,
            WireError::Refused(m) => ServiceError::Refused(m),
            WireError::Forbidden(m) => ServiceError::Forbidden(m),
            WireError::Locked(_) => ServiceError::Locked,
            WireError::Unlock(r) => ServiceError::Unlock(r),
            WireError::UnknownUser(m) => ServiceError::UnknownUser(m),
            WireError::TooManyLogons(u) => ServiceError::TooManyLogons(u),
            WireError::Rule(r) => ServiceError::Rule(r),
            WireError::Protocol(m) => ServiceError::Daemon(Said::new(
                format!("trucban serve: lỗi giao thức: {m}"),
                format!("trucban serve: protocol error: {m}"),
            )),
            WireError::TooLarge { len, max } => ServiceError::Daemon(Said::new(
                format!("một thông điệp {len} byte lớn hơn {max} byte giao thức cho phép"),
                format!(
                    "a message of {len} bytes is larger than the {max} bytes the protocol allows"
                ),
            )),
            WireError::Closed(c) => ServiceError::Closed(c),
            WireError::Unwritable(id) => ServiceError::Unwritable(id),
        }
    }
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WireError::TooLarge { len, max } => write!(
                f,
                "a message of {len} bytes is larger than the {max} bytes the protocol allows"
            ),
            WireError::Protocol(m) => write!(f, "protocol error: {m}"),
            other => write!(f, "{}", ServiceError::from(other.clone())),
        }
    }
}

/// Bytes (an export) as base64 text: a third larger, where a JSON array of numbers would
/// be three to four times.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bytes(#[serde(with = "base64_bytes")] pub Vec<u8>);

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Bytes {
        Bytes(bytes)
    }
}

impl From<Bytes> for Vec<u8> {
    fn from(bytes: Bytes) -> Vec<u8> {
        bytes.0
    }
}

/// `#[serde(with = "…")]` for bytes as standard base64 text.
pub mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(bytes))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        STANDARD
            .decode(text.as_bytes())
            .map_err(serde::de::Error::custom)
    }
}

/// A client's frame body as a call. Never panics, whatever the bytes.
pub fn decode_call(body: &[u8]) -> Result<Call, WireError> {
    serde_json::from_slice(body).map_err(|e| WireError::Protocol(format!("not a request: {e}")))
}

/// A client's frame body as a request (the fuzz target). Never panics, whatever the bytes.
pub fn decode_request(body: &[u8]) -> Result<Request, WireError> {
    decode_call(body).map(|call| call.request)
}

/// A daemon's frame body as a message. Never panics, whatever the bytes.
pub fn decode_message(body: &[u8]) -> Result<Message, WireError> {
    serde_json::from_slice(body).map_err(|e| WireError::Protocol(format!("not a message: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for body in [
            &b""[..],
            b"{",
            b"null",
            b"{\"id\":1,\"request\":{\"get\":{\"id\":\"XX-1\"}}}",
            b"{\"id\":1,\"request\":{\"nope\":{}}}",
            &[0xff, 0xfe, 0x00],
            &[b'['; 10_000],
        ] {
            assert!(decode_request(body).is_err(), "{body:?}");
        }
        let ok = br#"{"id":7,"request":{"get":{"id":"TB-000001"}}}"#;
        assert_eq!(decode_call(ok).expect("a call").id, 7);
    }

    #[test]
    fn every_error_kind_crosses_and_comes_back_the_same() {
        let id: RecordId = "TN-000123".parse().expect("id");
        let problem = Problem {
            file: "a.csv".into(),
            line: 3,
            column: Some("dob".into()),
            message: Said::new("sai", "bad"),
        };
        let errors = vec![
            ServiceError::Import(vec![problem]),
            ServiceError::NotFound(id),
            ServiceError::invalid("không hợp lệ", "invalid"),
            ServiceError::RosterRefused(vec![crate::domain::roster::RosterProblem::DoubleBooked {
                officer_id: "CB-000001".parse().expect("id"),
                first: "PC-000001".parse().expect("id"),
                second: "PC-000002".parse().expect("id"),
            }]),
            ServiceError::SearchNotReady,
            ServiceError::refused("không được xem", "refused"),
            ServiceError::Forbidden(crate::domain::access::Denial {
                user: "mallory".into(),
                role: None,
                needs: crate::domain::access::Permission::Export,
            }),
            ServiceError::Locked,
            ServiceError::Unlock(crate::domain::access::UnlockRefused::WrongPin { left: 3 }),
            ServiceError::UnknownUser("who".into()),
            ServiceError::TooManyLogons("mallory".into()),
            ServiceError::Closed(Closed::NotReading),
            ServiceError::Unwritable(id),
            ServiceError::Remote {
                code: "store.read_only".into(),
                said: Said::new("kho chỉ đọc: đĩa đầy", "store read-only: disk full"),
            },
            ServiceError::Rule(crate::domain::rules::Refusal::NotTheActingOfficer {
                id: "NK-000001".parse().expect("id"),
                field: "officer_id".into(),
                given: "CB-000002".parse().expect("id"),
                acting: "CB-000001".parse().expect("id"),
            }),
        ];
        for error in errors {
            let shown = error.to_string();
            let kind = format!("{error:?}");
            let (code, vi, en) = (error.code(), error.label(Lang::Vi), error.label(Lang::En));
            let wire: WireError = error.into();
            // What any client reads: the code and both texts beside the kind and data.
            let failure = Failure::from(wire.clone());
            assert_eq!((&failure.code, &failure.vi, &failure.en), (&code, &vi, &en));
            assert_ne!(failure.vi, failure.en, "{code}: one text in both languages");
            let json = serde_json::to_vec(&failure).expect("encoded");
            let back: Failure = serde_json::from_slice(&json).expect("decoded");
            assert_eq!(back, failure);
            let rebuilt = ServiceError::from(back.error);
            assert_eq!(rebuilt.to_string(), shown);
            assert_eq!(format!("{rebuilt:?}"), kind);
            assert_eq!(rebuilt.code(), code);
        }
        // A store error crosses as its code and both sentences.
        let store = ServiceError::Store(crate::store::StoreError::SchemaTooNew {
            found: 9,
            supported: 1,
        });
        let (vi, en) = (store.label(Lang::Vi), store.label(Lang::En));
        let rebuilt = ServiceError::from(WireError::from(store));
        assert_eq!(rebuilt.code(), "store.schema_too_new");
        assert_eq!((rebuilt.label(Lang::Vi), rebuilt.label(Lang::En)), (vi, en));
        assert!(
            rebuilt.label(Lang::Vi).contains("nâng cấp trucban"),
            "{rebuilt:?}"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_without_panicking(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = decode_request(&bytes);
            let _ = decode_message(&bytes);
            let _ = read_message(&mut &bytes[..], 1024);
        }
    }
}
