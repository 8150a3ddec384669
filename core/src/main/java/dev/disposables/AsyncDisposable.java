package dev.disposables; /** placeholder */ public interface AsyncDisposable extends AutoCloseable { }
