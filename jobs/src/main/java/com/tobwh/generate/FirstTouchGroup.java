package com.tobwh.generate;

/** The marketing origin of an account: the channel group of its very first touch. */
public enum FirstTouchGroup {
    SEARCH("search"),
    THIRD_PARTY_PLATFORM("third_party_platform"),
    SOCIAL_MEDIA("social_media"),
    OFFLINE("offline");

    private final String code;

    FirstTouchGroup(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
