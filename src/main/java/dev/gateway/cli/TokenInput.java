package dev.gateway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads {@code --token}: the token itself, {@code @FILE}, or {@code -} for standard input; a "Bearer " prefix is dropped. */
final class TokenInput {
    /** A token is 8 KiB at most by default; a file far larger than that is the wrong file. */
    private static final int MAX_BYTES = 1 << 20;

    private TokenInput() {
    }

    static String read(String given, InputStream stdin) throws IOException {
        String text;
        if (given.equals("-")) {
            text = new String(stdin.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
        } else if (given.startsWith("@")) {
            Path file = Path.of(given.substring(1));
            if (Files.size(file) > MAX_BYTES) throw new IOException(file + " is larger than 1MiB: not a token");
            text = Files.readString(file, StandardCharsets.UTF_8);
        } else {
            text = given;
        }
        text = text.strip();
        if (text.regionMatches(true, 0, "Bearer ", 0, 7)) text = text.substring(7).strip();
        return text;
    }

    /** Why a file could not be read, in words: NoSuchFileException's own message is just the path. */
    static String why(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
