package dev.remedy.knowledge;

/** A knowledge-base file that cannot be loaded or evaluated; the message names the file and the line. */
public class KnowledgeBaseException extends RuntimeException {
    public KnowledgeBaseException(String message) {
        super(message);
    }

    public KnowledgeBaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
