fn main() {
    bird_portal::start();
}
