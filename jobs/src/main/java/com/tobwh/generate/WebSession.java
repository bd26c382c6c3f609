package com.tobwh.generate;

/**
 * A planned visit: who (device and, if known, contact), when, from where and what they do. The
 * renderer turns it into tracker events; identity fields are settled once all sessions of a
 * device are known.
 */
final class WebSession {
    /** What the visitor does, which decides the events. */
    enum Intent { BOUNCE, BROWSE, FORM, DEMO, SIGNUP, LOGIN, APP }

    final long start;
    final String anonymousId;
    final String userAgent;
    final boolean mobile;
    final TrafficSource source;
    final Intent intent;
    /** The contact behind the device in this session; null for visitors who stay anonymous. */
    final Contact actor;
    /** Seconds from start to the signup/login event, for sessions that identify the actor. */
    int identifyOffset;
    /** The user_id the tracker holds when the session starts (set when devices are settled). */
    Contact userAtStart;
    /** Event type that sets user_id to the actor in this session, or null. */
    String identifyEvent;
    /** An account's first visit: its events always keep their session_id. */
    boolean defining;
    long seq;

    WebSession(long start, String anonymousId, String userAgent, boolean mobile, TrafficSource source, Intent intent,
               Contact actor) {
        this.start = start;
        this.anonymousId = anonymousId;
        this.userAgent = userAgent;
        this.mobile = mobile;
        this.source = source;
        this.intent = intent;
        this.actor = actor;
    }
}
