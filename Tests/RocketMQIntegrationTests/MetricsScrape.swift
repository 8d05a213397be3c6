//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// A scrape of `GET /metrics` over a plain POSIX socket (no HTTP library: the test must see exactly what
/// Prometheus would), parsed into samples.
struct MetricsScrape {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let status: Int
    let contentType: String
    let body: String
    let samples: [Sample]

    enum ScrapeError: Error { case connect(Int32), malformed(String) }

    /// Fetches `path` from 127.0.0.1:`port` with `Connection: close` and reads to EOF, on a thread pool of
    /// the test's own: a blocking read on Swift's cooperative pool (2 threads here) would starve the very
    /// broker tasks the scrape waits for.
    static func fetch(port: Int, path: String = "/metrics", method: String = "GET") async throws -> MetricsScrape {
        try await pool.runIfActive { try fetchBlocking(port: port, path: path, method: method) }
    }

    /// Threads of the test's own (the servers under test use NIO's singleton pool for their blocking work).
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    static func fetchBlocking(port: Int, path: String, method: String) throws -> MetricsScrape {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ScrapeError.connect(errno) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw ScrapeError.connect(errno) }
        let request = Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response.append(contentsOf: chunk[0..<n])
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw ScrapeError.malformed(String(text.prefix(200))) }
        let headerLines = text[..<split.lowerBound].split(separator: "\r\n")
        let statusParts = headerLines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw ScrapeError.malformed(String(text.prefix(200)))
        }
        let contentType =
            headerLines.dropFirst().first { $0.lowercased().hasPrefix("content-type:") }
            .map { String($0.dropFirst("content-type:".count)).trimmingCharacters(in: " ") } ?? ""
        let body = String(text[split.upperBound...])
        return MetricsScrape(
            status: status,
            contentType: contentType,
            body: body,
            samples: status == 200 ? try parse(body) : []
        )
    }

    /// The text exposition's sample lines (`name{k="v",…} value`), comments skipped.
    static func parse(_ body: String) throws -> [Sample] {
        var samples: [Sample] = []
        for line in body.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let chars = Array(line)
            var i = 0
            var name = ""
            while i < chars.count && chars[i] != "{" && chars[i] != " " { name.append(chars[i]); i += 1 }
            var labels: [String: String] = [:]
            if i < chars.count && chars[i] == "{" {
                i += 1
                while i < chars.count && chars[i] != "}" {
                    var key = ""
                    while i < chars.count && chars[i] != "=" { key.append(chars[i]); i += 1 }
                    i += 2  // ="
                    var value = ""
                    while i < chars.count && chars[i] != "\"" {
                        if chars[i] == "\\" && i + 1 < chars.count {
                            i += 1
                            value.append(chars[i] == "n" ? "\n" : chars[i])
                        } else {
                            value.append(chars[i])
                        }
                        i += 1
                    }
                    i += 1  // closing quote
                    if i < chars.count && chars[i] == "," { i += 1 }
                    labels[key] = value
                }
                i += 1  // }
            }
            let rest = String(chars[i...]).trimmingCharacters(in: " ")
            guard let value = Double(rest.split(separator: " ").first.map(String.init) ?? "") else {
                throw ScrapeError.malformed(String(line))
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        return samples
    }

    /// Samples named `name` whose labels include all of `labels`.
    func values(_ name: String, _ labels: [String: String] = [:]) -> [Double] {
        samples.filter { s in s.name == name && labels.allSatisfy { s.labels[$0.key] == $0.value } }.map(\.value)
    }

    /// The one sample matching, or nil when there are none or several.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let found = values(name, labels)
        return found.count == 1 ? found[0] : nil
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var s = self[...]
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
func isListening(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = UInt16(port).bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    } == 0
}
