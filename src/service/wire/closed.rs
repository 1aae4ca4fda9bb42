//! Why the daemon closed a connection on its own: each is a bound on what one client can
//! make the daemon hold (see `service/daemon.rs`), said to the client when it still reads,
//! and audited.

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Closed {
    /// The daemon holds as many connections as it is configured for.
    TooManyConnections,
    /// This OS user holds as many connections as one user may.
    TooManyForUser,
    /// A message was begun and not finished in time.
    FrameTimeout,
    /// No request for longer than the idle timeout.
    Idle,
    /// Replies waiting for the client passed its byte budget: it does not read them.
    NotReading,
    /// Requests being read by all clients together passed the daemon's budget.
    Busy,
}

impl Closed {
    /// The word the audit uses.
    pub fn code(self) -> &'static str {
        match self {
            Closed::TooManyConnections => "too_many_connections",
            Closed::TooManyForUser => "too_many_for_user",
            Closed::FrameTimeout => "frame_timeout",
            Closed::Idle => "idle",
            Closed::NotReading => "not_reading",
            Closed::Busy => "busy",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Closed::TooManyConnections => (
                "Máy chủ trucban đã đủ số kết nối: thử lại sau ít phút",
                "trucban serve has as many connections as it allows: try again in a few minutes",
            ),
            Closed::TooManyForUser => (
                "Tài khoản này đã mở đủ số kết nối cho phép: đóng bớt một cửa sổ trucban",
                "This user has as many connections as one user may: close another trucban first",
            ),
            Closed::FrameTimeout => (
                "Yêu cầu gửi dở quá lâu: kết nối bị đóng",
                "A request was left half sent too long: the connection was closed",
            ),
            Closed::Idle => (
                "Không có yêu cầu nào quá lâu: kết nối bị đóng",
                "No request for too long: the connection was closed",
            ),
            Closed::NotReading => (
                "Không nhận các trả lời đang chờ: kết nối bị đóng",
                "Replies were left unread past the client's budget: the connection was closed",
            ),
            Closed::Busy => (
                "Máy chủ đang bận đọc các yêu cầu lớn khác: thử lại sau",
                "trucban serve is busy reading other large requests: try again shortly",
            ),
        };
        lang.pick(vi, en)
    }
}

impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label(Lang::En))
    }
}

impl std::error::Error for Closed {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_is_said_in_both_languages() {
        for closed in [
            Closed::TooManyConnections,
            Closed::TooManyForUser,
            Closed::FrameTimeout,
            Closed::Idle,
            Closed::NotReading,
            Closed::Busy,
        ] {
            let (vi, en) = (closed.label(Lang::Vi), closed.label(Lang::En));
            assert_ne!(vi, en, "{closed:?}");
            assert!(!vi.is_empty() && !en.is_empty());
            let json = serde_json::to_string(&closed).expect("json");
            assert_eq!(json, format!("\"{}\"", closed.code()));
        }
    }
}
