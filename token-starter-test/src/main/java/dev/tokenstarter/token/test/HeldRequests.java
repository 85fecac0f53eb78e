package dev.tokenstarter.token.test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Token requests a test holds back unanswered until it releases them: a client that started a fetch and
 * hangs in it, or dies in it.
 */
final class HeldRequests {

    /** Guards {@link #toHold} and {@link #released}, so a request decides and picks its gate in one step. */
    private final ReentrantLock lock = new ReentrantLock();

    /** How many of the next token requests are held back. */
    private int toHold;

    /** Opened by {@link #release()}; held requests wait for it. */
    private CountDownLatch released = new CountDownLatch(1);

    private final AtomicInteger held = new AtomicInteger();

    void holdNext() {
        lock.lock();
        try {
            toHold++;
        }
        finally {
            lock.unlock();
        }
    }

    int count() {
        return held.get();
    }

    void release() {
        CountDownLatch gate;
        lock.lock();
        try {
            gate = released;
            released = new CountDownLatch(1);
        }
        finally {
            lock.unlock();
        }
        gate.countDown();
    }

    /** Waits for the next release if this request is one to hold back; returns at once otherwise. */
    void awaitReleaseIfHeld() {
        CountDownLatch gate = null;
        lock.lock();
        try {
            if (toHold > 0) {
                toHold--;
                gate = released;
            }
        }
        finally {
            lock.unlock();
        }
        if (gate == null) {
            return;
        }
        held.incrementAndGet();
        try {
            gate.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            held.decrementAndGet();
        }
    }
}
