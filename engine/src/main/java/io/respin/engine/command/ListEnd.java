package io.respin.engine.command;

/**
 * Which end of a list: LEFT (head) or RIGHT (tail), for LMOVE, LMPOP and their blocking forms.
 *
 * <pre>{@code
 * redis.lmove("pending", "working", ListEnd.RIGHT, ListEnd.LEFT);
 * }</pre>
 */
public enum ListEnd {
    LEFT, RIGHT
}
