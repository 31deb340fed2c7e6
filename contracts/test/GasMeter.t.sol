// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Errors} from "@openzeppelin/contracts/utils/Errors.sol";
import {Fixture} from "./utils/Fixture.sol";
import {GasMeter} from "../src/sim/GasMeter.sol";
import {VestingVault} from "../src/VestingVault.sol";

/// @dev A target whose revert data is whatever it is asked to revert with, and which reports what it received.
contract Echo {
    error EchoValue(uint256 value);

    function fail(bytes calldata reason) external pure {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            calldatacopy(0, reason.offset, reason.length)
            revert(0, reason.length)
        }
    }

    function paid() external payable {
        revert EchoValue(msg.value);
    }
}

/// @dev The relay's one-call simulation: `forwarder.execute` through the meter, as the relay's `eth_call` runs it.
contract GasMeterTest is Fixture {
    GasMeter internal meter;
    Echo internal echo;
    address internal relayer;
    address internal alice;
    uint256 internal aliceKey;
    address internal carol;

    function setUp() public override {
        super.setUp();
        meter = new GasMeter();
        echo = new Echo();
        relayer = makeAddr("relayer");
        (alice, aliceKey) = makeAddrAndKey("alice");
        carol = makeAddr("carol");
        vm.deal(relayer, 10 ether);
        vm.prank(admin);
        token.transfer(alice, 100e18);
    }

    function _transfer(uint256 nonce) internal view returns (ERC2771Forwarder.ForwardRequestData memory) {
        return _signedRequest(aliceKey, address(token), abi.encodeCall(IERC20.transfer, (carol, 1e18)), nonce);
    }

    function _measure(bytes memory data) internal returns (uint256) {
        vm.prank(relayer);
        return meter.measure(address(forwarder), data);
    }

    function test_Measure_ExecutesTheRequestAndReturnsItsGas() public {
        bytes memory data = abi.encodeCall(ERC2771Forwarder.execute, (_transfer(0)));
        uint256 gasUsed = _measure(data);
        assertEq(token.balanceOf(carol), 1e18);
        assertEq(forwarder.nonces(alice), 1);
        // A first transfer to carol and alice's first nonce: two fresh slots (20,000 each) and a signature.
        assertGe(gasUsed, 45_000);
        assertLe(gasUsed, 100_000);
    }

    function test_Measure_ReRaisesTheForwardersRevertDataByteForByte() public {
        ERC2771Forwarder.ForwardRequestData memory request = _transfer(1); // ahead of alice's nonce
        bytes memory data = abi.encodeCall(ERC2771Forwarder.execute, (request));
        vm.prank(relayer);
        (bool direct, bytes memory expected) = address(forwarder).call(data);
        assertFalse(direct);
        assertGe(expected.length, 4 + 32, "a custom error with its arguments");
        vm.prank(relayer);
        (bool metered, bytes memory got) = address(meter).call(abi.encodeCall(GasMeter.measure, (address(forwarder), data)));
        assertFalse(metered);
        assertEq(keccak256(got), keccak256(expected));
        assertEq(forwarder.nonces(alice), 0);
    }

    function test_Measure_ReRaisesTheForwardersFailedCall() public {
        uint256 id = _createSchedule(carol, 1_000e18, uint64(block.timestamp - 10 days), 0, 1 days);
        // alice claims carol's schedule: the vault refuses, the forwarder reports FailedCall.
        ERC2771Forwarder.ForwardRequestData memory request =
            _signedRequest(aliceKey, address(vault), abi.encodeCall(VestingVault.claim, (id)), 0);
        vm.expectRevert(abi.encodeWithSelector(Errors.FailedCall.selector));
        _measure(abi.encodeCall(ERC2771Forwarder.execute, (request)));
    }

    function testFuzz_Measure_ReRaisesAnyRevertData(bytes memory reason) public {
        (bool success, bytes memory got) =
            address(meter).call(abi.encodeCall(GasMeter.measure, (address(echo), abi.encodeCall(Echo.fail, (reason)))));
        assertFalse(success);
        assertEq(keccak256(got), keccak256(reason));
    }

    function test_Measure_ForwardsTheValue() public {
        vm.expectRevert(abi.encodeWithSelector(Echo.EchoValue.selector, 3 wei));
        vm.prank(relayer);
        meter.measure{value: 3 wei}(address(echo), abi.encodeCall(Echo.paid, ()));
    }
}
