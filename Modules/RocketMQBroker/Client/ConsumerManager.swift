//===----------------------------------------------------------------------===//
// RocketMQ-Swift — Apache License 2.0
//===----------------------------------------------------------------------===//

import Logging
import NIOCore
import RocketMQCommon
import RocketMQRemoting
import Synchronization

/// A consumer group's members and subscriptions (Java `ConsumerGroupInfo`).
public struct ConsumerGroupInfo: Sendable {
    public var groupName: String
    public var channels: [ObjectIdentifier: ClientChannelInfo] = [:]
    public var subscriptions: [String: SubscriptionData] = [:]
    public var consumeType: ConsumeType
    public var messageModel: MessageModel
    public var consumeFromWhere: ConsumeFromWhere
    public var lastUpdateTimestamp: Int64 = Clock.millis()

    public var clientIDs: [String] { channels.values.map(\.clientID).sorted() }
}

/// Consumer groups registered by heartbeats (Java `ConsumerManager`). Membership changes notify the
/// group's members so they rebalance.
public final class ConsumerManager: Sendable {
    private let groups = Mutex<[String: ConsumerGroupInfo]>([:])
    let logger: Logger
    /// Called with the group's channels when its membership or subscriptions change.
    let onGroupChanged: @Sendable (String, [any Channel]) -> Void

    init(logger: Logger, onGroupChanged: @escaping @Sendable (String, [any Channel]) -> Void) {
        self.logger = logger
        self.onGroupChanged = onGroupChanged
    }

    public func group(_ name: String) -> ConsumerGroupInfo? { groups.withLock { $0[name] } }

    public var allGroups: [String: ConsumerGroupInfo] { groups.withLock { $0 } }

    /// Registers (or refreshes) one consumer from a heartbeat. Subscriptions follow upstream's rules:
    /// new topics are added, a topic is replaced only by a newer subVersion, absent topics are removed.
    func register(group: String, client: ClientChannelInfo, consumeType: ConsumeType, messageModel: MessageModel,
                  consumeFromWhere: ConsumeFromWhere, subscriptions: [SubscriptionData], notify: Bool) {
        let (changed, channels) = groups.withLock { g -> (Bool, [any Channel]) in
            var info = g[group] ?? ConsumerGroupInfo(groupName: group, consumeType: consumeType, messageModel: messageModel,
                                                     consumeFromWhere: consumeFromWhere)
            var changed = false
            if var existing = info.channels[client.channelID] {
                if existing.clientID != client.clientID { changed = true }
                existing.lastUpdateTimestamp = client.lastUpdateTimestamp
                existing.clientID = client.clientID
                info.channels[client.channelID] = existing
            } else {
                info.channels[client.channelID] = client
                changed = true
            }
            info.consumeType = consumeType
            info.messageModel = messageModel
            info.consumeFromWhere = consumeFromWhere
            var newSubs = info.subscriptions
            let incoming = Set(subscriptions.map(\.topic))
            for sub in subscriptions {
                if let old = newSubs[sub.topic] {
                    // Only a newer subscription replaces the registered one: members of a group that disagree
                    // must not flip it (and trigger a rebalance) on every heartbeat.
                    if sub.subVersion > old.subVersion {
                        newSubs[sub.topic] = sub
                        if old.subString != sub.subString || old.expressionType != sub.expressionType { changed = true }
                    }
                } else {
                    newSubs[sub.topic] = sub
                    changed = true
                }
            }
            for topic in Array(newSubs.keys) where !incoming.contains(topic) {
                newSubs.removeValue(forKey: topic)
                changed = true
            }
            info.subscriptions = newSubs
            info.lastUpdateTimestamp = Clock.millis()
            g[group] = info
            return (changed, info.channels.values.map(\.channel))
        }
        if changed && notify { onGroupChanged(group, channels) }
    }

    func unregister(group: String, channelID: ObjectIdentifier, notify: Bool) {
        let channels = groups.withLock { g -> [any Channel]? in
            guard var info = g[group], info.channels.removeValue(forKey: channelID) != nil else { return nil }
            if info.channels.isEmpty { g.removeValue(forKey: group) } else { g[group] = info }
            return info.channels.values.map(\.channel)
        }
        if let channels, notify, !channels.isEmpty { onGroupChanged(group, channels) }
    }

    /// A connection closed: remove it from every group.
    func channelClosed(_ channelID: ObjectIdentifier, notify: Bool) {
        let names = groups.withLock { g in g.filter { $0.value.channels[channelID] != nil }.map(\.key) }
        for name in names { unregister(group: name, channelID: channelID, notify: notify) }
    }

    /// Drops channels silent for longer than `expiredMillis`; returns the ones to close.
    func scanNotActiveChannels(expiredMillis: Int64, notify: Bool) -> [any Channel] {
        let now = Clock.millis()
        var dead: [(String, ObjectIdentifier, any Channel)] = []
        groups.withLock { g in
            for (name, info) in g {
                for (id, c) in info.channels where now - c.lastUpdateTimestamp > expiredMillis { dead.append((name, id, c.channel)) }
            }
        }
        for (name, id, _) in dead {
            logger.warning("consumer channel expired", metadata: ["group": "\(name)"])
            unregister(group: name, channelID: id, notify: notify)
        }
        return dead.map(\.2)
    }

    /// Finds the group's channel for one client id (for broker → client calls).
    func channel(group: String, clientID: String) -> ClientChannelInfo? {
        groups.withLock { $0[group]?.channels.values.first { $0.clientID == clientID } }
    }

    /// The group's member on one connection.
    func channel(group: String, channelID: ObjectIdentifier) -> ClientChannelInfo? {
        groups.withLock { $0[group]?.channels[channelID] }
    }

    /// Groups subscribing to a topic.
    func groups(subscribing topic: String) -> [String] {
        groups.withLock { g in g.filter { $0.value.subscriptions[topic] != nil }.map(\.key).sorted() }
    }
}

/// Producer groups' channels (Java `ProducerManager`): needed to find a producer for transaction checks.
public final class ProducerManager: Sendable {
    private let groups = Mutex<[String: [ObjectIdentifier: ClientChannelInfo]]>([:])

    func register(group: String, client: ClientChannelInfo) {
        groups.withLock { g in
            if var existing = g[group]?[client.channelID] {
                existing.lastUpdateTimestamp = client.lastUpdateTimestamp
                g[group]?[client.channelID] = existing
            } else {
                g[group, default: [:]][client.channelID] = client
            }
        }
    }

    func unregister(group: String, channelID: ObjectIdentifier) {
        groups.withLock { g in
            g[group]?.removeValue(forKey: channelID)
            if g[group]?.isEmpty == true { g.removeValue(forKey: group) }
        }
    }

    func channelClosed(_ channelID: ObjectIdentifier) {
        groups.withLock { g in for k in Array(g.keys) { g[k]?.removeValue(forKey: channelID); if g[k]?.isEmpty == true { g.removeValue(forKey: k) } } }
    }

    func scanNotActiveChannels(expiredMillis: Int64) -> [any Channel] {
        let now = Clock.millis()
        return groups.withLock { g -> [any Channel] in
            var dead: [any Channel] = []
            for k in Array(g.keys) {
                for (id, c) in g[k] ?? [:] where now - c.lastUpdateTimestamp > expiredMillis {
                    g[k]?.removeValue(forKey: id)
                    dead.append(c.channel)
                }
                if g[k]?.isEmpty == true { g.removeValue(forKey: k) }
            }
            return dead
        }
    }

    /// The active channel of a producer client (Java `ProducerManager.findChannel`): where replies go.
    public func findChannel(clientID: String) -> (any Channel)? {
        groups.withLock { g in
            for clients in g.values {
                for c in clients.values where c.clientID == clientID && c.channel.isActive { return c.channel }
            }
            return nil
        }
    }

    public func channels(group: String) -> [ClientChannelInfo] {
        groups.withLock { Array(($0[group] ?? [:]).values) }.filter { $0.channel.isActive }
    }

    public var allGroups: [String: [ClientChannelInfo]] { groups.withLock { $0.mapValues { Array($0.values) } } }
}
