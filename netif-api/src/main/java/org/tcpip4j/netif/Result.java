package org.tcpip4j.netif;

import java.util.Objects;

/**
 * The outcome of a synchronous operation on the data path: {@link Ok} or an {@link Err}
 * carrying a typed error (Mirage's {@code (unit, error) result}).
 *
 * <p>Success is one shared instance, so a successful write allocates nothing.
 *
 * @param <E> the layer's error type, usually a sealed interface
 */
public sealed interface Result<E> {

    /** Success. */
    record Ok<E>() implements Result<E> {
        static final Ok<?> INSTANCE = new Ok<>();
    }

    /** Failure with a typed error. */
    record Err<E>(E error) implements Result<E> {
        public Err {
            Objects.requireNonNull(error, "error");
        }
    }

    /** The shared success value. */
    @SuppressWarnings("unchecked")
    static <E> Result<E> ok() {
        return (Result<E>) Ok.INSTANCE;
    }

    /** A failure carrying {@code error}. */
    static <E> Result<E> err(E error) {
        return new Err<>(error);
    }

    /** True for {@link Ok}. */
    default boolean isOk() {
        return this instanceof Ok;
    }

    /** The error, or {@code null} for {@link Ok}. */
    default E errorOrNull() {
        return this instanceof Err<E> e ? e.error() : null;
    }

    /** Converts the error type, keeping success as success. */
    default <F> Result<F> mapError(java.util.function.Function<? super E, ? extends F> f) {
        return this instanceof Err<E> e ? new Err<>(f.apply(e.error())) : ok();
    }
}
