import Foundation
import XCTest
@testable import HTTPClient

/// The real libcurl client over TCP against the loopback replay server: every transport fault
/// of issue 13 point 4, retries, the rate limit, compression and revalidation.
final class HTTPClientTests: XCTestCase {
    /// Short delays so that the suite stays fast; the logic is the same as with the defaults.
    func client(attempts: Int = 3, rate: Double? = nil, totalTimeout: Double = 5) -> HTTPClient {
        var s = ClientSettings(userAgent: ClientSettings.userAgent(version: "9.9", mailto: "lab@example.org"))
        s.connectTimeout = 2
        s.totalTimeout = totalTimeout
        s.maxAttempts = attempts
        s.backoffBase = 0.02
        s.maxRetryAfter = 3
        s.defaultRate = rate
        return HTTPClient(settings: s)
    }

    func testGetSendsUserAgentAndDecodesGzip() throws {
        let body = String(repeating: "{\"ok\":true}", count: 200)
        let server = try ReplayServer(routes: [["path": "/a", "responses": [["body": body, "gzip": true, "headers": ["Content-Type": "application/json"]]]]])
        let r = try client().get(HTTPRequest(url: server.base + "/a?x=1"))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(String(decoding: r.body, as: UTF8.self), body)
        XCTAssertEqual(r.header("content-encoding"), "gzip", "the server compressed the transfer")
        XCTAssertEqual(r.header("Content-Type"), "application/json")
        let seen = server.log()
        XCTAssertEqual(seen.count, 1)
        let headers = seen[0]["headers"] as? [String: String]
        XCTAssertEqual(headers?["user-agent"], "lostdata/9.9 (mailto:lab@example.org)")
        XCTAssertTrue(headers?["accept-encoding"]?.contains("gzip") == true)
    }

    func testDNSFailureNamesURLAndIsNotRetried() {
        let url = "http://no-such-host.invalid/works"
        XCTAssertThrowsError(try client().get(HTTPRequest(url: url))) { e in
            let f = e as! HTTPFailure
            XCTAssertEqual(f.kind, .dnsFailure)
            XCTAssertEqual(f.attempts, 1)
            XCTAssertTrue(f.description.contains(url))
            XCTAssertTrue(f.description.contains("check the host name"))
        }
    }

    func testRefusedConnection() {
        let url = "http://127.0.0.1:\(ReplayServer.closedPort())/works"
        XCTAssertThrowsError(try client().get(HTTPRequest(url: url))) { e in
            let f = e as! HTTPFailure
            XCTAssertEqual(f.kind, .connectionRefused)
            XCTAssertEqual(f.attempts, 1, "a refused connection is not retried")
            XCTAssertTrue(f.description.contains(url))
        }
    }

    func testTimeoutIsRetriedThenReported() throws {
        let server = try ReplayServer(routes: [["path": "/slow", "responses": [["body": "late", "delay": 2]]]])
        XCTAssertThrowsError(try client(attempts: 2, totalTimeout: 0.3).get(HTTPRequest(url: server.base + "/slow"))) { e in
            let f = e as! HTTPFailure
            XCTAssertEqual(f.kind, .timeout)
            XCTAssertEqual(f.attempts, 2)
        }
    }

    func testResetMidBodyIsRetriedAndRecovers() throws {
        let body = String(repeating: "x", count: 5000)
        let server = try ReplayServer(routes: [["path": "/r", "responses": [["body": body, "fault": "reset"], ["body": body]]]])
        let r = try client().get(HTTPRequest(url: server.base + "/r"))
        XCTAssertEqual(r.body.count, 5000)
        XCTAssertEqual(r.attempts, 2)
    }

    func testResetEveryTimeIsReported() throws {
        let server = try ReplayServer(routes: [["path": "/r", "responses": [["body": String(repeating: "x", count: 5000), "fault": "reset"]]]])
        XCTAssertThrowsError(try client(attempts: 2).get(HTTPRequest(url: server.base + "/r"))) { e in
            XCTAssertEqual((e as! HTTPFailure).kind, .connectionReset)
        }
    }

    func test429WithRetryAfterIsHonoured() throws {
        let server = try ReplayServer(routes: [["path": "/p", "responses": [
            ["status": 429, "headers": ["Retry-After": "1"], "body": "slow down"], ["body": "ok"]]]])
        let started = Date()
        let r = try client().get(HTTPRequest(url: server.base + "/p"))
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.attempts, 2)
        let log = server.log()
        guard log.count >= 2 else { return XCTFail("expected a retry, saw \(log.count) request(s)") }
        let gap = (log[1]["time"] as! Double) - (log[0]["time"] as! Double)
        XCTAssertGreaterThanOrEqual(gap, 0.95, "waited the 1 s Retry-After asked for, not the 0.02 s backoff")
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    }

    func test429WithoutRetryAfterBacksOff() throws {
        let server = try ReplayServer(routes: [["path": "/p", "responses": [["status": 429, "body": "<html>Too Many Requests</html>"], ["body": "ok"]]]])
        let r = try client().get(HTTPRequest(url: server.base + "/p"))
        XCTAssertEqual(r.attempts, 2)
    }

    func testRetryAfterBeyondTheLimitStopsInsteadOfSpinning() throws {
        let server = try ReplayServer(routes: [["path": "/p", "responses": [["status": 429, "headers": ["Retry-After": "54000"], "body": "budget spent"]]]])
        XCTAssertThrowsError(try client().get(HTTPRequest(url: server.base + "/p"))) { e in
            let f = e as! HTTPFailure
            XCTAssertEqual(f.kind, .serverRefused)
            XCTAssertEqual(f.retryAfter, 54000)
            XCTAssertEqual(f.attempts, 1)
            XCTAssertTrue(f.description.contains("54000 s"), f.description)
        }
        XCTAssertEqual(server.log().count, 1)
    }

    func test500And503AreRetriedWithBoundedAttempts() throws {
        let crossref500 = try ReplayServer(routes: [
            ["path": "/500", "responses": [["status": 500, "body": "{\"status\":\"error\",\"message-type\":\"exception\"}"]]],
            ["path": "/503", "responses": [["status": 503, "headers": ["Retry-After": "0"]], ["body": "ok"]]],
        ])
        XCTAssertThrowsError(try client(attempts: 3).get(HTTPRequest(url: crossref500.base + "/500"))) { e in
            let f = e as! HTTPFailure
            XCTAssertEqual(f.status, 500)
            XCTAssertEqual(f.attempts, 3)
            XCTAssertTrue(f.description.contains("exception"), "the server's own words are in the message")
        }
        XCTAssertEqual(try client().get(HTTPRequest(url: crossref500.base + "/503")).status, 200)
        XCTAssertEqual(crossref500.log().filter { ($0["path"] as? String) == "/500" }.count, 3)
    }

    func testOther4xxIsNotRetried() throws {
        let server = try ReplayServer(routes: [["path": "/works/blblbl", "responses": [["status": 404, "body": "Resource not found."]]]])
        let r = try client().get(HTTPRequest(url: server.base + "/works/blblbl"))
        XCTAssertEqual(r.status, 404)
        XCTAssertEqual(r.attempts, 1)
        XCTAssertEqual(server.log().count, 1)
    }

    func testRevalidationWithETag() throws {
        let server = try ReplayServer(routes: [["path": "/e", "responses": [["body": "v1", "etag": "\"abc\""]]]])
        let c = client()
        let first = try c.get(HTTPRequest(url: server.base + "/e"))
        XCTAssertEqual(first.header("etag"), "\"abc\"")
        let second = try c.get(HTTPRequest(url: server.base + "/e", headers: [("If-None-Match", "\"abc\"")]))
        XCTAssertEqual(second.status, 304)
        XCTAssertTrue(second.body.isEmpty)
    }

    func testRedirectsAreBounded() throws {
        let server = try ReplayServer(routes: [
            ["path": "/loop", "responses": [["status": 302, "headers": ["Location": "/loop"]]]],
            ["path": "/hop", "responses": [["status": 301, "headers": ["Location": "/end"]]]],
            ["path": "/end", "responses": [["body": "here"]]],
        ])
        let r = try client().get(HTTPRequest(url: server.base + "/hop"))
        XCTAssertEqual(String(decoding: r.body, as: UTF8.self), "here")
        XCTAssertTrue(r.finalURL.hasSuffix("/end"))
        XCTAssertThrowsError(try client().get(HTTPRequest(url: server.base + "/loop"))) { e in
            XCTAssertEqual((e as! HTTPFailure).kind, .tooManyRedirects)
        }
    }

    func testRateLimitSpacesRequestsAcrossTransfersInFlight() throws {
        let server = try ReplayServer(routes: [["path": "/r", "responses": [["body": "ok"]]]])
        let c = client(rate: 20)
        let results = c.getAll((0..<12).map { HTTPRequest(url: server.base + "/r?i=\($0)") }, inFlight: 4)
        XCTAssertEqual(results.filter { (try? $0.get().status) == 200 }.count, 12)
        let times = server.log().map { $0["time"] as! Double }.sorted()
        let span = times.last! - times.first!
        // 12 requests at 20/s: 11 intervals of 50 ms.
        XCTAssertGreaterThanOrEqual(span, 0.55 * 0.95)
        XCTAssertLessThan(span, 0.55 * 1.6)
    }

    func testRetryAfterParsesSecondsAndDates() {
        XCTAssertEqual(RetryPolicy.retryAfter("120"), 120)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let later = RetryPolicy.retryAfter("Tue, 14 Nov 2023 22:14:20 GMT", now: now)
        XCTAssertEqual(later ?? -1, 60, accuracy: 1)   // 1_700_000_000 is 22:13:20 GMT
        XCTAssertNil(RetryPolicy.retryAfter("soon"))
        // delay-seconds is digits only; what Double(_:) would also take is not a delay.
        for odd in ["nan", "inf", "-5", "1e3", "0x10", " "] { XCTAssertNil(RetryPolicy.retryAfter(odd), odd) }
        XCTAssertEqual(RetryPolicy.retryAfter(String(repeating: "9", count: 400)), .greatestFiniteMagnitude)
    }

    /// A wait beyond any Int (a fuzzed or broken server) is refused and written, not trapped on.
    func testRetryAfterBeyondAnyIntIsRefusedAndWritten() throws {
        let huge = String(repeating: "9", count: 30)
        let server = try ReplayServer(routes: [["path": "/p", "responses": [["status": 503, "headers": ["Retry-After": huge], "body": "later"]]]])
        XCTAssertThrowsError(try client().get(HTTPRequest(url: server.base + "/p"))) { e in
            let f = e as! HTTPFailure
            XCTAssertEqual(f.kind, .serverRefused)
            XCTAssertTrue(f.description.contains("Retry-After 1e+30 s"), f.description)
            XCTAssertTrue(f.advice.contains("wait 1e+30 s"), f.advice)
        }
    }
}
