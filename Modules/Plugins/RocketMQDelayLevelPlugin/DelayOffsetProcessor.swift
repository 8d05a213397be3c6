//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import NIOCore
import RocketMQBroker
import RocketMQRemoting

/// GET_ALL_DELAY_OFFSET (45): the delay levels' progress as `delayOffset.json` holds it, which slaves
/// copy (Java `AdminBrokerProcessor.getAllDelayOffset`).
struct DelayOffsetProcessor: RequestProcessor {
    let offsets: DelayOffsetTable

    func processRequest(_ request: RemotingCommand, context: RequestContext) async throws -> RemotingCommand? {
        .response(body: ByteBuffer(string: self.offsets.json))
    }
}
