import Foundation
import XCTest
@testable import ReviewWeb

/// `lostdata review serve` over HTTP on 127.0.0.1: access, every route, the checks on changes,
/// the version conflict, escaping, 404s, and decisions reaching `table1` and `review status`.
final class ReviewServerTests: XCTestCase {
    var study: URL!
    var server: ReviewFixture.Server!

    override func setUpWithError() throws {
        study = try ReviewFixture.demoStudy()
        server = try ReviewFixture.Server(study: study)
    }

    override func tearDown() {
        server?.stop()
        if let study { try? FileManager.default.removeItem(at: study) }
    }

    func testTokenCookieHostAndEveryReadRoute() throws {
        // Without the token: refused, whatever the path.
        for path in ["/", "/article?id=doi:10.1000/cat1", "/help", "/static/review.js", "/nothing"] {
            let r = try server.get(path, headers: [:])
            XCTAssertEqual(r.status, 403, path)
            XCTAssertTrue(r.body.contains("needs the address printed by"), r.body)
        }
        XCTAssertEqual(try server.get("/?token=" + String(repeating: "0", count: 48), headers: [:]).status, 403)
        XCTAssertEqual(try server.get("/", headers: ["Cookie": "lostdata_review=nope"]).status, 403)
        // The token in the URL opens the page and moves into a cookie the page then uses.
        let first = try server.get("/?token=" + server.token, headers: [:])
        XCTAssertEqual(first.status, 200)
        XCTAssertEqual(first.headers["set-cookie"], "lostdata_review=\(server.token); Path=/; HttpOnly; SameSite=Strict")
        XCTAssertEqual(first.headers["content-security-policy"]?.contains("frame-ancestors 'none'"), true)
        // A Host that is not the loopback address (DNS rebinding) is refused even with the token.
        for host in ["evil.example:\(server.port)", "127.0.0.1:1", "127.0.0.1.evil.example:\(server.port)"] {
            let r = try HTTPReply.send(port: server.port, method: "GET", path: "/?token=" + server.token, host: host, headers: [:])
            XCTAssertEqual(r.status, 421, host)
        }
        XCTAssertEqual(try HTTPReply.send(port: server.port, method: "GET", path: "/", host: "localhost:\(server.port)", headers: ["Cookie": server.cookie]).status, 200)

        let queue = try server.get("/")
        XCTAssertTrue(queue.body.contains("<tr data-id=\"doi:10.1000/cat1\""), queue.body)
        XCTAssertTrue(queue.body.contains("Reviewed <strong id=\"reviewed\">0</strong> of <strong id=\"total\">7</strong>"), queue.body)
        let article = try server.get("/article?id=doi%3A10.1000%2Fcat1")
        XCTAssertEqual(article.status, 200)
        XCTAssertTrue(article.body.contains("Palladium <mark>nanoparticles on carbon</mark>"), "matched words are marked")
        XCTAssertTrue(article.body.contains("SEM 2 · STEM 1 · TEM 4"))
        XCTAssertTrue(article.body.contains("https://doi.org/10.1000/cat1"))
        let help = try server.get("/help")
        XCTAssertTrue(help.body.contains("primary category: Materials"))
        let js = try server.get("/static/review.js")
        XCTAssertEqual(js.headers["content-type"], "text/javascript; charset=utf-8")
        XCTAssertTrue(js.body.contains("addEventListener(\"keydown\""))
        XCTAssertEqual(try server.get("/static/review.css").status, 200)
        // No request parameter names a file.
        for path in ["/static/..%2FPackage.swift", "/static/queue.mustache", "/static/../../etc/passwd", "/nothing"] {
            let r = try server.get(path)
            XCTAssertEqual(r.status, 404, path)
            XCTAssertFalse(r.body.contains("Package"), path)
        }
        // Unknown and malformed ids: a 404 page, no trace.
        for id in ["doi:10.1000/none", "", "%00", String(repeating: "a", count: 600)] {
            let r = try server.get("/article?id=" + id)
            XCTAssertEqual(r.status, 404, id)
            XCTAssertTrue(r.body.contains("There is no article with this id"), r.body)
        }
        let put = try HTTPReply.send(port: server.port, method: "PUT", path: "/", headers: ["Cookie": server.cookie])
        XCTAssertEqual(put.status, 405)
    }

    func testQueueFiltersCountsSearchAndFirstPendingSelected() throws {
        let queue = try server.get("/").body
        // The first pending article (id order) is selected when nothing else is.
        XCTAssertTrue(queue.contains("<tr data-id=\"doi:10.1000/cat1\" data-version=\"0\" data-href=\"/article?id=doi%3A10.1000%2Fcat1\" class=\"row state-pending selected\""), queue)
        // Counts beside filters: 7 pending, 4 articles without full text (the demo counts three).
        XCTAssertTrue(queue.contains(">pending</a> <span class=\"count\">7</span>"), queue)
        XCTAssertTrue(queue.contains(">no-full-text</a> <span class=\"count\">4</span>"), queue)
        let noText = try server.get("/?flag=no-full-text").body
        XCTAssertEqual(noText.components(separatedBy: "<tr data-id=").count - 1, 4)
        XCTAssertFalse(noText.contains("data-id=\"doi:10.1000/cat1\""))
        let excluded = try server.get("/?exclusion=excluded").body
        XCTAssertEqual(excluded.components(separatedBy: "<tr data-id=").count - 1, 1, "the demo's editorial")
        let search = try server.get("/?q=10.1000%2Fmof1").body
        XCTAssertEqual(search.components(separatedBy: "<tr data-id=").count - 1, 1)
        XCTAssertTrue(search.contains("data-id=\"doi:10.1000/mof1\""))
        let byCategory = try server.get("/?category=ionic-liquids").body
        XCTAssertTrue(byCategory.contains("data-id=\"doi:10.1000/il1\""))
        XCTAssertEqual(byCategory.components(separatedBy: "<tr data-id=").count - 1, 1)
        let sorted = try server.get("/?sort=images&dir=desc").body
        let ids = sorted.matches(of: /<tr data-id="([^"]+)"/).map { String($0.1) }
        XCTAssertEqual(ids.first, "doi:10.1000/mc1", "9 images, the most")
    }

    func testEscapingOfDataAndParameters() throws {
        let queue = try server.get("/?q=%3Cscript%3Ealert(2)%3C%2Fscript%3E").body
        XCTAssertFalse(queue.contains("<script>alert"), "a search term is shown, not run")
        XCTAssertTrue(queue.contains("value=\"&lt;script&gt;alert(2)&lt;/script&gt;\""), queue)
        let all = try server.get("/").body
        XCTAssertFalse(all.contains("<script>alert"))
        XCTAssertTrue(all.contains("&lt;script&gt;alert(&quot;boom&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"), all)
        let article = try server.get("/article?id=doi%3A10.1000%2Fevil").body
        XCTAssertFalse(article.contains("<script>alert"))
        XCTAssertFalse(article.contains("<img src=x"))
        XCTAssertFalse(article.contains("<b>bold"))
        XCTAssertTrue(article.contains("&lt;img src=x onerror=alert(1)&gt;"), article)
        XCTAssertTrue(article.contains("<h1 id=\"title\">&lt;script&gt;alert(&quot;boom&quot;)&lt;/script&gt;"), article)
    }

    func testChangesNeedCSRFAndSameOrigin() throws {
        let (csrf, version) = try server.formValues(article: "doi:10.1000/cat1")
        let fields = [("csrf", csrf), ("id", "doi:10.1000/cat1"), ("version", version), ("action", "confirm")]
        let noCSRF = try server.post(fields.filter { $0.0 != "csrf" })
        XCTAssertEqual(noCSRF.status, 403)
        XCTAssertEqual(try server.post([("csrf", String(repeating: "1", count: 48))] + fields.dropFirst()).status, 403)
        XCTAssertEqual(try server.post(fields, headers: ["Cookie": server.cookie, "Origin": "http://evil.example"]).status, 403)
        XCTAssertEqual(try server.post(fields, headers: ["Cookie": server.cookie]).status, 403, "no Origin, no Referer")
        XCTAssertEqual(try server.post(fields, headers: ["Cookie": server.cookie, "Referer": "http://evil.example/"]).status, 403)
        XCTAssertEqual(try server.post(fields, headers: ["Origin": server.origin]).status, 403, "no token")
        // Too large a body: refused before it is read whole.
        let big = try server.post(fields + [("note", String(repeating: "n", count: 70_000))])
        XCTAssertEqual(big.status, 413)
        XCTAssertEqual(try server.get("/article?id=doi%3A10.1000%2Fcat1").body.components(separatedBy: "<tr><td>#").count, 1, "nothing recorded so far")
        // The page's own request passes (Referer also accepted in place of Origin).
        let ok = try server.post(fields, headers: ["Cookie": server.cookie, "Referer": server.origin + "/article?id=x"])
        XCTAssertEqual(ok.status, 303)
        XCTAssertEqual(ok.headers["location"], "/?sel=doi%3A10.1000%2Fcat1")
    }

    func testDecisionsVersionConflictUndoAndTable1() throws {
        func table1() throws -> [String: [String: Any]] {
            let r = try ReviewFixture.lostdata(["table1", "--study", study.path, "--format", "json"])
            XCTAssertEqual(r.status, 0, r.err)
            let root = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
            let columns = try XCTUnwrap(((root["sources"] as? [[String: Any]])?.first)?["columns"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: columns.map { ($0["technique"] as! String, $0) })
        }
        func status() throws -> [String: Any] {
            let r = try ReviewFixture.lostdata(["review", "status", "--json", "--study", study.path])
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        }
        let before = try table1()
        XCTAssertEqual(before["TOTAL"]?["images"] as? Int, 22)
        XCTAssertEqual(before["TOTAL"]?["articles"] as? Int, 3)

        // Two tabs show cat1 at the same version; the first saves corrected counts …
        let tab = try server.formValues(article: "doi:10.1000/cat1")
        let saved = try server.post([("csrf", tab.csrf), ("id", "doi:10.1000/cat1"), ("version", tab.version), ("action", "images"),
                                     ("SEM", "10"), ("STEM", "0"), ("TEM", "1"), ("note", "Fig. 2 counted twice"),
                                     ("back", "/article?id=doi%3A10.1000%2Fcat1")])
        XCTAssertEqual(saved.status, 303)
        XCTAssertEqual(saved.headers["location"], "/article?id=doi%3A10.1000%2Fcat1")
        // … the second tab's change is refused with a message, and nothing is lost.
        let stale = try server.post([("csrf", tab.csrf), ("id", "doi:10.1000/cat1"), ("version", tab.version), ("action", "confirm")])
        XCTAssertEqual(stale.status, 409)
        XCTAssertTrue(stale.body.contains("was changed by Ada"), stale.body)
        XCTAssertTrue(stale.body.contains("your change was not saved"), stale.body)
        var t = try table1()
        XCTAssertEqual(t["SEM"]?["images"] as? Int, 15, "7 - 2 + 10")
        XCTAssertEqual(t["TOTAL"]?["images"] as? Int, 26)

        // Counts entered by hand for an article without full text join Table 1.
        let il1 = try server.formValues(article: "doi:10.1000/il1")
        XCTAssertEqual(try server.post([("csrf", il1.csrf), ("id", "doi:10.1000/il1"), ("version", il1.version), ("action", "images"),
                                        ("SEM", "3"), ("STEM", ""), ("TEM", "0")]).status, 303)
        t = try table1()
        XCTAssertEqual(t["TOTAL"]?["articles"] as? Int, 4)
        XCTAssertEqual(t["SEM"]?["images"] as? Int, 18)
        // Bad counts are refused with a page saying why.
        let mof = try server.formValues(article: "doi:10.1000/mof1")
        let bad = try server.post([("csrf", mof.csrf), ("id", "doi:10.1000/mof1"), ("version", mof.version), ("action", "images"), ("SEM", "-1")])
        XCTAssertEqual(bad.status, 400)
        XCTAssertTrue(bad.body.contains("The SEM count must be a whole number"), bad.body)

        // Exclusion with a reason: the article's figures leave Table 1; the history says who and why.
        XCTAssertEqual(try server.post([("csrf", mof.csrf), ("id", "doi:10.1000/mof1"), ("version", mof.version), ("action", "exclude"),
                                        ("reason", "review"), ("note", "a review of MOF membranes")]).status, 303)
        t = try table1()
        XCTAssertEqual(t["SEM"]?["images"] as? Int, 13, "mof1's 5 SEM images leave")
        let mofPage = try server.get("/article?id=doi%3A10.1000%2Fmof1").body
        XCTAssertTrue(mofPage.contains("excluded (review)"), mofPage)
        XCTAssertTrue(mofPage.contains("a review of MOF membranes"))

        // Categories: a key (primary) on one article, the checkbox form on another, confirm on a third.
        let mc1 = try server.formValues(article: "doi:10.1000/mc1")
        XCTAssertEqual(try server.post([("csrf", mc1.csrf), ("id", "doi:10.1000/mc1"), ("version", mc1.version), ("action", "confirm")]).status, 303)
        let off = try server.formValues(article: "doi:10.1000/off1")
        XCTAssertEqual(try server.post([("csrf", off.csrf), ("id", "doi:10.1000/off1"), ("version", off.version), ("action", "categories"),
                                        ("category", "materials/polymer"), ("category", "catalysis"), ("primary", "materials/polymer")]).status, 303)
        let il1b = try server.formValues(article: "doi:10.1000/il1")
        XCTAssertEqual(try server.post([("csrf", il1b.csrf), ("id", "doi:10.1000/il1"), ("version", il1b.version), ("action", "primary"),
                                        ("primary", "catalysis")]).status, 303)
        let unknown = try server.post([("csrf", off.csrf), ("id", "doi:10.1000/none"), ("version", "0"), ("action", "confirm")])
        XCTAssertEqual(unknown.status, 404)
        let s = try status()
        XCTAssertEqual(s["reviewed"] as? Int, 1, "mc1 confirmed")
        let disagreements = try XCTUnwrap(s["disagreements"] as? [[String: Any]])
        XCTAssertEqual(disagreements.first { $0["id"] as? String == "doi:10.1000/off1" }?["decision"] as? [String],
                       ["materials/polymer", "materials", "catalysis"])
        XCTAssertEqual(disagreements.first { $0["id"] as? String == "doi:10.1000/il1" }?["decision"] as? [String],
                       ["catalysis", "materials", "ionic-liquids"])  // il1's machine set (rules of issue 16) holds materials too
        XCTAssertEqual(s["exclusions"] as? [[String: String]], [["id": "doi:10.1000/mof1", "decision": "review"]])
        let counts = try XCTUnwrap(s["imageCounts"] as? [[String: Any]])
        XCTAssertEqual(counts.map { $0["id"] as? String }, ["doi:10.1000/cat1", "doi:10.1000/il1"])
        XCTAssertEqual(counts.first?["SEM"] as? Int, 10)
        XCTAssertFalse((s["agreement"] as? [[String: Any]] ?? []).isEmpty)
        // The spreadsheet round trip shows the same decisions.
        let sheet = study.appendingPathComponent("sheet.csv")
        XCTAssertEqual(try ReviewFixture.lostdata(["review", "export", sheet.path, "--study", study.path, "-q"]).status, 0)
        XCTAssertTrue(try String(contentsOf: sheet, encoding: .utf8).contains("materials/polymer; materials; catalysis"))

        // Undo, twice: the exclusion goes, then nothing older is left for mof1.
        let mofNow = try server.formValues(article: "doi:10.1000/mof1")
        XCTAssertEqual(try server.post([("csrf", mofNow.csrf), ("id", "doi:10.1000/mof1"), ("version", mofNow.version), ("action", "undo")]).status, 303)
        t = try table1()
        XCTAssertEqual(t["SEM"]?["images"] as? Int, 18, "mof1 counts again")
        let mofAfter = try server.get("/article?id=doi%3A10.1000%2Fmof1").body
        XCTAssertTrue(mofAfter.contains("undo of decision #"), mofAfter)
        let mofLast = try server.formValues(article: "doi:10.1000/mof1")
        let nothing = try server.post([("csrf", mofLast.csrf), ("id", "doi:10.1000/mof1"), ("version", mofLast.version), ("action", "undo")])
        XCTAssertEqual(nothing.status, 409)
        XCTAssertTrue(nothing.body.contains("no decision about this article to undo"))
        // Undo of cat1's counts: Table 1 is back to the Figures stage's numbers for it.
        let cat = try server.formValues(article: "doi:10.1000/cat1")
        XCTAssertEqual(try server.post([("csrf", cat.csrf), ("id", "doi:10.1000/cat1"), ("version", cat.version), ("action", "undo")]).status, 303)
        XCTAssertEqual(try table1()["SEM"]?["images"] as? Int, 10, "2 (cat1) + 5 (mof1) + 3 (il1 by hand)")

        // The queue's totals follow the page's own saves (patched, not re-read): il1, mc1, off1.
        XCTAssertTrue(try server.get("/").body.contains("Reviewed <strong id=\"reviewed\">3</strong> of <strong id=\"total\">7</strong>"))

        // Classifying again never overwrites a decision.
        XCTAssertEqual(try ReviewFixture.lostdata(["classify", "-q", "--study", study.path]).status, 0)
        XCTAssertEqual(try status()["exclusions"] as? [[String: String]], [])
        XCTAssertEqual(try table1()["SEM"]?["images"] as? Int, 10)
        XCTAssertTrue(try server.get("/?state=disagreeing").body.contains("data-id=\"doi:10.1000/off1\""), "decided before the new proposal")
    }

    func testSecondServerOnTheSameStudyIsSafeAndSigtermStopsCleanly() throws {
        let other = try ReviewFixture.Server(study: study, reviewer: "Bea")
        let a = try server.formValues(article: "doi:10.1000/cat1")
        let b = try other.formValues(article: "doi:10.1000/cat1")
        XCTAssertEqual(a.version, b.version)
        XCTAssertNotEqual(a.csrf, b.csrf, "each run has its own secrets")
        XCTAssertEqual(try other.post([("csrf", a.csrf), ("id", "doi:10.1000/cat1"), ("version", a.version), ("action", "confirm")]).status, 403,
                       "one server's form is not accepted by the other")
        XCTAssertEqual(try other.post([("csrf", b.csrf), ("id", "doi:10.1000/cat1"), ("version", b.version), ("action", "confirm")]).status, 303)
        let stale = try server.post([("csrf", a.csrf), ("id", "doi:10.1000/cat1"), ("version", a.version), ("action", "exclude"), ("reason", "review")])
        XCTAssertEqual(stale.status, 409)
        XCTAssertTrue(stale.body.contains("was changed by Bea"), stale.body)
        XCTAssertEqual(other.stop(), 0, "SIGTERM: a clean stop")
        XCTAssertThrowsError(try other.get("/"), "the port is released")
        XCTAssertEqual(server.stop(), 0)
    }

    func testRISAffiliationsListedOnceEscapedWithoutAuthorMarks() throws {
        // demo-articles.ris gives mc1 three AD lines, the first and last the same address.
        let body = try server.get("/article?id=doi%3A10.1000%2Fmc1").body
        XCTAssertTrue(body.contains("<li value=\"1\">Department of Materials Science &amp; Engineering, Demo University, City, Country</li><li value=\"2\">Electron Microscopy Centre, Demo Institute, Town, Country</li></ol>"), body)
        XCTAssertTrue(body.contains("<span class=\"author\">Demo, C.</span>"), "RIS does not say who is where: no marks")
        XCTAssertFalse(try server.get("/article?id=doi%3A10.1000%2Fil1").body.contains("id=\"affiliations\""), "no list without affiliations")
    }

    // MARK: Pieces

    func testHighlightEscapesFirstAndSafeBackStaysOnThisServer() {
        XCTAssertEqual(HTMLText.highlight("<b>Gold</b> nanoparticles & gold", phrases: ["gold"]),
                       "&lt;b&gt;<mark>Gold</mark>&lt;/b&gt; nanoparticles &amp; <mark>gold</mark>")
        // Marks around given ranges: overlapping ones merged, text inside and outside escaped.
        let text = "<i>Catalysed</i> & catalytic \"tests\""
        let first = text.range(of: "Catalysed")!, second = text.range(of: "catalytic")!, overlap = text.range(of: "lytic \"tes")!
        XCTAssertEqual(HTMLText.highlight(text, ranges: [second, first, overlap]),
                       "&lt;i&gt;<mark>Catalysed</mark>&lt;/i&gt; &amp; <mark>catalytic &quot;tes</mark>ts&quot;")
        XCTAssertEqual(HTMLText.highlight("a<b", ranges: []), "a&lt;b")
        XCTAssertEqual(Handlers.safeBack("//evil.example/x", selecting: "a"), "/?sel=a")
        XCTAssertEqual(Handlers.safeBack("http://evil.example/", selecting: "a"), "/?sel=a")
        XCTAssertEqual(Handlers.safeBack("/?state=pending&sel=b", selecting: "a"), "/?state=pending&sel=a")
        XCTAssertEqual(Handlers.safeBack("/article?id=x", selecting: "a"), "/article?id=x")
        XCTAssertFalse(AccessGuard.isLoopback(host: "127.0.0.1:80.evil", port: 80))
        XCTAssertTrue(AccessGuard.isLoopback(host: "LOCALHOST:80", port: 80))
    }
}
