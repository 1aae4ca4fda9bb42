fn main() -> std::process::ExitCode {
    trucban::cli::main()
}
