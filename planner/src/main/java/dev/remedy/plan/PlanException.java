package dev.remedy.plan;

/** A plan that cannot or must not be made, such as one the verifier found unsafe. */
public class PlanException extends RuntimeException {
    public PlanException(String message) {
        super(message);
    }
}
