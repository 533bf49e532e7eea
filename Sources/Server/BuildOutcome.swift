/// What a rebuild produced, as the server tells the open pages.
///
/// `.failure` carries the builder's diagnostics, one `file:line:column: message` line each; the
/// pages show them in an overlay while the server keeps serving the last good site.
public enum BuildOutcome: Sendable, Hashable {
    /// The site was rebuilt: open pages reload.
    case success
    /// The build failed with these diagnostic lines: open pages show them.
    case failure([String])
}
