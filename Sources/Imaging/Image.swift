// Placeholder while the codecs are written.
public enum ImagingInfo { public static let version = "0" }
