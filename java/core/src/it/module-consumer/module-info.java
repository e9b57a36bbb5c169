/** A program that uses softmax4j from the module path, as ModulePathIT compiles and runs it. */
module org.softmax4j.consumer {
    requires org.softmax4j;
}
