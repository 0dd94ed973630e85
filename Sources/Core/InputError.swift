import Foundation

/// Where in the input something went wrong: a file, and within it a line or a record.
public struct InputLocation: Hashable, Codable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var record: String?

    public init(file: String, line: Int? = nil, record: String? = nil) {
        self.file = file
        self.line = line
        self.record = record
    }

    /// `file:line` or `file (record R)`, the form editors and terminals link to.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let record { s += " (record \(record))" }
        return s
    }
}

/// An error in a user's input, carrying where it is and what is wrong.
///
/// Every stage reports bad input with one of these and goes on with the rest of the batch;
/// the CLI prints them on stderr as `file:line: message`.
public struct InputError: Error, Hashable, Codable, Sendable, CustomStringConvertible, LocalizedError {
    public var location: InputLocation
    public var message: String

    public init(_ message: String, at location: InputLocation) {
        self.message = message
        self.location = location
    }

    public init(_ message: String, file: String, line: Int? = nil, record: String? = nil) {
        self.init(message, at: InputLocation(file: file, line: line, record: record))
    }

    public var description: String { "\(location): \(message)" }
    public var errorDescription: String? { description }
}
