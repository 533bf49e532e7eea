// Placeholder while the engine is written.
public enum EngineInfo { public static let version = "0" }
