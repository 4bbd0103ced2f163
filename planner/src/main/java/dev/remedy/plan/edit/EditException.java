package dev.remedy.plan.edit;

/** An edit of a node file that cannot be made exactly; the message says where and what to do instead. */
public class EditException extends RuntimeException {
    public EditException(String message) {
        super(message);
    }
}
