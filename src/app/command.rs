//! What a key can run: the `run = "…"` names of the keymap file.

macro_rules! commands {
    ($($variant:ident = $name:literal),+ $(,)?) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Command { $($variant),+ }

        impl Command {
            pub const ALL: &'static [Command] = &[$(Command::$variant),+];

            pub fn name(self) -> &'static str {
                match self { $(Command::$variant => $name),+ }
            }

            pub fn from_name(name: &str) -> Option<Command> {
                Self::ALL.iter().copied().find(|c| c.name() == name)
            }
        }
    };
}

commands! {
    Quit = "quit",
    Down = "down",
    Up = "up",
    PageDown = "page-down",
    PageUp = "page-up",
    First = "first",
    Last = "last",
    NextView = "next-view",
    PrevView = "prev-view",
    Open = "open",
    Back = "back",
    Filter = "filter",
    CommandLine = "command-line",
    Help = "help",
    SortNext = "sort-next",
    SortReverse = "sort-reverse",
    Act = "act",
    Accept = "accept",
    Cancel = "cancel",
    Delete = "delete-char",
    NextField = "next-field",
    PrevField = "prev-field",
    ChoiceNext = "choice-next",
    ChoicePrev = "choice-prev",
    Complete = "complete",
    HistoryPrev = "history-prev",
    HistoryNext = "history-next",
    Discard = "discard",
    Search = "search",
    New = "new",
    PrevPeriod = "prev-period",
    NextPeriod = "next-period",
    Roster = "roster",
    PrevDay = "prev-day",
    NextDay = "next-day",
    Today = "today",
    Left = "left",
    Right = "right",
    Add = "add",
    MoveAssignment = "move",
    Swap = "swap",
}
