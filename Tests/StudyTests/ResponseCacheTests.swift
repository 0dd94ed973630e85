import Bibliography
import Foundation
import HTTPClient
import XCTest
@testable import Study

/// The HTTP cache keeps its entries in `.cache/http/responses.sqlite`, and still answers from the
/// two files per entry that lostdata wrote before (an older study's cache).
final class ResponseCacheTests: XCTestCase {
    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lostdata-cache-\(UUID().uuidString)", isDirectory: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func response(_ body: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(url: "http://127.0.0.1/x", finalURL: "http://127.0.0.1/x", status: status,
                     headers: [("etag", "\"v1\""), ("content-type", "application/json")], body: Array(body.utf8))
    }

    func testStoredEntriesReadBackAndAreReplacedAndRenewed() throws {
        let dir = try temporaryDirectory()
        let cache = ResponseCache(directory: dir)
        XCTAssertNil(cache.load("http://a/works?cursor=*#page=1"))
        cache.store(response(#"{"results":[]}"#), key: "http://a/works?cursor=*#page=1")
        cache.store(response(#"{"other":1}"#), key: "http://a/works?cursor=*#page=2")
        let (entry, body) = try XCTUnwrap(cache.load("http://a/works?cursor=*#page=1"))
        XCTAssertEqual(String(decoding: body, as: UTF8.self), #"{"results":[]}"#)
        XCTAssertEqual(entry.status, 200)
        XCTAssertEqual(entry.header("etag"), "\"v1\"")
        XCTAssertEqual(entry.bodyBytes, body.count)
        XCTAssertLessThan(abs(entry.storedAt.timeIntervalSinceNow), 60)
        // One file for every entry: no file per response.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasPrefix("responses.sqlite") }, [])
        // Another cache on the same folder (the next command) sees them; a store replaces.
        let again = ResponseCache(directory: dir)
        again.store(response("[1]"), key: "http://a/works?cursor=*#page=1")
        XCTAssertEqual(try XCTUnwrap(cache.load("http://a/works?cursor=*#page=1")).1, Array("[1]".utf8))
        XCTAssertEqual(try XCTUnwrap(again.load("http://a/works?cursor=*#page=2")).1, Array(#"{"other":1}"#.utf8))
    }

    func testOldTwoFileEntriesStillAnswerAndMoveIntoTheDatabaseWhenRenewed() throws {
        let dir = try temporaryDirectory()
        let key = "http://a/works/W1"
        let name = FNV1a.hex(Array(key.utf8))
        let folder = dir.appendingPathComponent(String(name.prefix(2)), isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stored = Date(timeIntervalSince1970: 1_700_000_000)
        let entry = ResponseCache.Entry(url: key, status: 200, headers: [["etag", "\"old\""]], storedAt: stored, bodyBytes: 7)
        try JSONEncoder().encode(entry).write(to: folder.appendingPathComponent(name + ".json"))
        try Data("{\"a\":1}".utf8).write(to: folder.appendingPathComponent(name + ".body"))
        let cache = ResponseCache(directory: dir)
        let (read, body) = try XCTUnwrap(cache.load(key))
        XCTAssertEqual(body, Array("{\"a\":1}".utf8))
        XCTAssertEqual(read.storedAt, stored)
        XCTAssertEqual(read.header("etag"), "\"old\"")
        // A body cut short (its length disagrees with the entry) is a miss, as before.
        try Data("{\"a\"".utf8).write(to: folder.appendingPathComponent(name + ".body"))
        XCTAssertNil(cache.load(key))
        try Data("{\"a\":1}".utf8).write(to: folder.appendingPathComponent(name + ".body"))
        // A 304 renews it: it is then in the database, stored now.
        cache.renew(key)
        try FileManager.default.removeItem(at: folder)
        let (renewed, again) = try XCTUnwrap(cache.load(key))
        XCTAssertEqual(again, body)
        XCTAssertGreaterThan(renewed.storedAt, stored)
        XCTAssertEqual(renewed.header("etag"), "\"old\"")
    }

    func testAFolderThatCannotHoldTheCacheOnlyMisses() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        let cache = ResponseCache(directory: file)
        cache.store(response("{}"), key: "k")
        XCTAssertNil(cache.load("k"))
        cache.renew("k")
    }
}
