package dev.remedy.cli;

public class RemedyCommand {
    public static void main(String[] args) {}
}
