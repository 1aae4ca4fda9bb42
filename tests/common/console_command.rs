//! How a test or a benchmark starts the console in a pseudo-terminal: in `home`, with a
//! terminal type and a Vietnamese locale, and none of the user's own settings (config,
//! data, officer, colours). Shared by `tests/common` and `benches/common/pty.rs`.

use std::ffi::OsStr;
use std::path::Path;

/// `bin --view VIEW ARGS…`, set up as above.
pub fn console_command<A: AsRef<OsStr>>(
    bin: impl AsRef<OsStr>,
    home: &Path,
    view: &str,
    args: impl IntoIterator<Item = A>,
) -> portable_pty::CommandBuilder {
    let mut cmd = portable_pty::CommandBuilder::new(bin);
    cmd.args(["--view", view]);
    cmd.args(args);
    cmd.cwd(home);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "vi_VN.UTF-8");
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_DATA_HOME", home.join("share"));
    for var in ["TRUCBAN_DATA_DIR", "TRUCBAN_OFFICER", "NO_COLOR", "LC_ALL"] {
        cmd.env_remove(var);
    }
    cmd
}
