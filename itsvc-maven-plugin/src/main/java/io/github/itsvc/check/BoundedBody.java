package io.github.itsvc.check;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the start of a response body and hangs up after {@code limit} bytes, so a large or endless body can neither
 * fill the heap nor hold a check up.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Body> {

    /** @param truncated whether the body went on after what was read */
    record Body(String text, int bytes, boolean truncated) {}

    private static final Pattern CHARSET = Pattern.compile("(?i);\\s*charset=\"?([^\";\\s]+)");

    private final int limit;
    private final Charset charset;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedBody(int limit, Charset charset) {
        this.limit = limit;
        this.charset = charset;
    }

    /** The charset a {@code Content-Type} names, UTF-8 when none or an unknown one. */
    static Charset charsetOf(String contentType) {
        if (contentType != null) {
            Matcher m = CHARSET.matcher(contentType);
            if (m.find()) {
                try {
                    return Charset.forName(m.group(1).toLowerCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    // an unknown charset: read it as UTF-8 rather than fail the check for it
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public CompletionStage<Body> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer b : buffers) {
            int n = Math.min(b.remaining(), limit - bytes.size());
            byte[] chunk = new byte[n];
            b.get(chunk);
            bytes.write(chunk, 0, n);
            if (b.hasRemaining()) {
                subscription.cancel();
                finish(true);
                return;
            }
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        finish(false);
    }

    private void finish(boolean truncated) {
        String text;
        try {
            text = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("cannot happen with REPLACE", e);
        }
        result.complete(new Body(text, bytes.size(), truncated));
    }
}
